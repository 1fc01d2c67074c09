using System.Runtime.InteropServices;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>Privileged tests need root. Under CI (CI=true) a missing privilege fails the test instead of skipping it.</summary>
internal static partial class Privileged
{
    public static bool IsRoot => geteuid() == 0;

    public static void Require()
    {
        if (!IsRoot)
        {
            Assert.Fail("This test needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); run the suite as root, as CI does.");
        }
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}

using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink;

internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);
}

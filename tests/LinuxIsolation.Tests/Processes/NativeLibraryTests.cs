using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class NativeLibraryTests
{
    [Fact]
    public unsafe void LoadedLibraryIsTheOneTheProjectBuilt()
    {
        string version = Marshal.PtrToStringUTF8((nint)Interop.lxi_version())!;
        Assert.Equal("LinuxIsolation.Native 2", version);

        // The mapping the loader made for the call above.
        string[] maps = File.ReadAllLines("/proc/self/maps");
        string[] paths = maps.Where(l => l.EndsWith("/libLinuxIsolation.Native.so", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Distinct().ToArray();
        string loaded = Assert.Single(paths);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libLinuxIsolation.Native.so"), loaded);

        // Byte for byte the file the LinuxIsolation project's build compiled (and packs under runtimes/linux-x64/native/).
        string built = Path.Combine(RepositoryRoot(), "src", "LinuxIsolation", "obj", "native", "linux-x64", "libLinuxIsolation.Native.so");
        Assert.True(File.Exists(built), built);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(built)), SHA256.HashData(File.ReadAllBytes(loaded)));
    }

    [Fact]
    public unsafe void SpecStructHasTheNativeSize()
    {
        // struct lxi_spawn_spec on x86-64/arm64: checked by lxi_spawn itself (a size mismatch is refused with EINVAL);
        // this pins the layout so a field added on one side only shows up here first.
        Assert.Equal(272, sizeof(LinuxIsolation.Processes.Native.lxi_spawn_spec));
        Assert.Equal(1052, sizeof(LinuxIsolation.Processes.Native.lxi_spawn_result));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LinuxIsolation.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("LinuxIsolation.sln not found above " + AppContext.BaseDirectory);
    }
}

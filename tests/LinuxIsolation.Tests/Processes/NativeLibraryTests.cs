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

    [Theory]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_spawn_spec), "lxi_spawn_spec")]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_spawn_result), "lxi_spawn_result")]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_mount), "lxi_mount")]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_rlimit), "lxi_rlimit")]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_namespace_join), "lxi_namespace_join")]
    [InlineData(typeof(LinuxIsolation.Processes.Native.lxi_fd_map), "lxi_fd_map")]
    public void MirrorStructHasTheHeadersLayout(Type managed, string cName)
    {
        // The C compiler is the reference: a program built from Native/lxi_spawn.h prints sizeof and the offset of
        // every field the managed mirror declares (a field missing on the C side fails to compile).
        System.Reflection.FieldInfo[] fields = managed.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public);
        var source = new System.Text.StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"lxi_spawn.h\"\nint main(void) {\n");
        source.Append($"    printf(\"size %zu\\n\", sizeof(struct {cName}));\n");
        foreach (System.Reflection.FieldInfo f in fields)
        {
            source.Append($"    printf(\"{f.Name} %zu\\n\", offsetof(struct {cName}, {f.Name}));\n");
        }

        source.Append("    return 0;\n}\n");
        string dir = Directory.CreateTempSubdirectory("lxi-layout-").FullName;
        try
        {
            string c = Path.Combine(dir, "layout.c");
            string exe = Path.Combine(dir, "layout");
            File.WriteAllText(c, source.ToString());
            Namespaces.NsTool.Run("gcc", "-Wall", "-Werror", "-I", Path.Combine(RepositoryRoot(), "src", "LinuxIsolation", "Native"), "-o", exe, c);
            string expected = $"size {Marshal.SizeOf(managed)}\n" + string.Concat(fields.Select(f => $"{f.Name} {Marshal.OffsetOf(managed, f.Name)}\n"));
            Assert.Equal(expected, Namespaces.NsTool.Run(exe));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

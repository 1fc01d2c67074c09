using System;
using System.IO;
using System.Threading.Tasks;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Tests.Processes;

/// <summary>Runs a start info with stdout and stderr piped and returns what it printed and how it ended.</summary>
internal static class Spawn
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static IsolatedProcessStartInfo Sh(string script) => new("/bin/sh", "-c", script);

    /// <summary>busybox's sh inside a <see cref="TestRootFs"/> (or the host's /bin/busybox).</summary>
    public static IsolatedProcessStartInfo BusyboxSh(string script)
    {
        var info = new IsolatedProcessStartInfo("/bin/busybox", "sh", "-c", script);
        info.Environment.Clear();
        info.Environment["PATH"] = "/bin";
        return info;
    }

    public static async Task<(ProcessExitStatus Status, string Out, string Err)> RunAsync(IsolatedProcessStartInfo info)
    {
        info.StandardOutput = ProcessStdio.Pipe;
        info.StandardError = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        using var outReader = new StreamReader(p.StandardOutput!);
        using var errReader = new StreamReader(p.StandardError!);
        Task<string> o = outReader.ReadToEndAsync();
        Task<string> e = errReader.ReadToEndAsync();
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Timeout);
        return (status, await o.WaitAsync(Timeout), await e.WaitAsync(Timeout));
    }

    /// <summary>Runs and asserts exit code 0; returns stdout.</summary>
    public static async Task<string> OutputAsync(IsolatedProcessStartInfo info)
    {
        (ProcessExitStatus status, string output, string error) = await RunAsync(info);
        if (status.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"{info.FileName} ended with {status}; stdout: {output}; stderr: {error}");
        }

        return output;
    }
}

/// <summary>
/// A tiny root file system on disk (not tmpfs) built from Debian's busybox-static: /bin/busybox with relative
/// applet links, empty /proc, /sys, /dev, /tmp and a marker file /etc/lxi-rootfs. Removed on dispose.
/// </summary>
internal sealed partial class TestRootFs : IDisposable
{
    private static readonly string[] Applets =
    [
        "sh", "ls", "cat", "echo", "id", "hostname", "ps", "sleep", "touch", "grep", "wc", "readlink", "stat",
        "test", "printenv", "env", "kill", "true", "false", "mount", "head", "tr", "pwd",
    ];

    public TestRootFs()
    {
        if (!File.Exists("/bin/busybox"))
        {
            throw new Xunit.Sdk.XunitException("/bin/busybox is missing: install busybox-static (tests/run does).");
        }

        Path = Directory.CreateTempSubdirectory($"lxi-rootfs-{Environment.ProcessId}-").FullName;
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0x1ed); // 0755: a mapped root must be able to enter it
        }
        string bin = System.IO.Path.Combine(Path, "bin");
        Directory.CreateDirectory(bin);
        // A hard link, not a copy: a copy is open for writing for a moment, and a child forked meanwhile by a
        // test running in parallel would hold that descriptor until it execs, so execve here fails with ETXTBSY.
        string busybox = System.IO.Path.Combine(bin, "busybox");
        if (link("/bin/busybox", busybox) != 0)
        {
            File.Copy("/bin/busybox", busybox);
        }
        foreach (string applet in Applets)
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(bin, applet), "busybox");
        }

        foreach (string dir in new[] { "proc", "sys", "dev", "tmp", "etc", "root", "data" })
        {
            Directory.CreateDirectory(System.IO.Path.Combine(Path, dir));
        }

        File.WriteAllText(System.IO.Path.Combine(Path, "etc", "lxi-rootfs"), "rootfs marker\n");
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);
}

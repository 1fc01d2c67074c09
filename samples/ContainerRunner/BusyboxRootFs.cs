using System;
using System.Collections.Generic;
using System.IO;
using LinuxIsolation.Processes;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace ContainerRunner;

/// <summary>
/// A throwaway root file system on disk: Debian's static busybox (package busybox-static) and a link for each
/// of its applets, plus the empty directories a container expects. Deleted on dispose.
/// </summary>
internal sealed class BusyboxRootFs : IDisposable
{
    private BusyboxRootFs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static BusyboxRootFs Create(string busybox = "/bin/busybox")
    {
        if (!File.Exists(busybox))
        {
            throw new FileNotFoundException($"{busybox} not found: install busybox-static.", busybox);
        }

        string root = Directory.CreateTempSubdirectory("container-rootfs-").FullName;
        var rootfs = new BusyboxRootFs(root);
        try
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            foreach (string dir in new[] { "bin", "proc", "sys", "dev", "tmp", "etc", "root", "var", "run" })
            {
                Directory.CreateDirectory(System.IO.Path.Combine(root, dir));
            }

            File.Copy(busybox, System.IO.Path.Combine(root, "bin", "busybox"));
            foreach (string applet in ListApplets(busybox))
            {
                string link = System.IO.Path.Combine(root, "bin", applet);
                if (applet != "busybox" && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, "busybox");
                }
            }

            File.WriteAllText(System.IO.Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            File.WriteAllText(System.IO.Path.Combine(root, "etc", "group"), "root:x:0:\n");
            return rootfs;
        }
        catch
        {
            rootfs.Dispose();
            throw;
        }
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>Asks busybox for its applets, through the library itself (no isolation needed).</summary>
    private static List<string> ListApplets(string busybox)
    {
        var info = new IsolatedProcessStartInfo(busybox, "--list") { StandardOutput = ProcessStdio.Pipe };
        using IsolatedProcess p = IsolatedProcess.Start(info);
        using var reader = new StreamReader(p.StandardOutput!);
        var applets = new List<string>();
        while (reader.ReadLine() is string line)
        {
            if (line.Length > 0 && !line.Contains('/', StringComparison.Ordinal))
            {
                applets.Add(line);
            }
        }

        ProcessExitStatus status = p.WaitForExit();
        if (status.ExitCode != 0)
        {
            throw new InvalidOperationException($"{busybox} --list ended with {status}.");
        }

        return applets;
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Tests.Cgroups;

/// <summary>
/// A cgroup subtree of the test's own directly under the v2 root, with a unique name (pid and a counter); removed
/// with everything in it when disposed, also when the test failed.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    private static int s_counter;

    public TestCgroup()
    {
        Privileged.Require();
        Root = Cgroup.OpenRoot();
        Name = string.Create(CultureInfo.InvariantCulture, $"lxi-test-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        Group = Root.CreateChild(Name);
    }

    public Cgroup Root { get; }

    public string Name { get; }

    public Cgroup Group { get; }

    public void Dispose()
    {
        Group.Dispose();
        try
        {
            Root.DeleteChild(Name);
        }
        finally
        {
            Root.Dispose();
        }
    }

    /// <summary>Starts a child process (sleep, a busy shell loop); the caller kills it.</summary>
    public static Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
    }

    public static void Stop(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill();
            }

            p.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }

        p.Dispose();
    }

    /// <summary>utime + stime of a process in clock ticks, from /proc/PID/stat (fields 14 and 15).</summary>
    public static long CpuTicks(int pid) => LinuxIsolation.TestShared.ProcStat.CpuTicks(pid);

    /// <summary>The "0::" line of /proc/PID/cgroup.</summary>
    public static string CgroupOf(int pid)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid}/cgroup"))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line.Substring(3);
            }
        }

        throw new InvalidOperationException("no 0:: line");
    }

    /// <summary>The cgroup2 mount point according to /proc/self/mountinfo, found independently of the library.</summary>
    public static string Cgroup2MountPoint()
    {
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            if (line.Contains(" - cgroup2 ", StringComparison.Ordinal))
            {
                return line.Split(' ')[4];
            }
        }

        throw new InvalidOperationException("no cgroup2 mount");
    }
}

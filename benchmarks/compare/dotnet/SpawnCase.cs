using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Compare;

/// <summary>
/// The spawn cases, "spawn pid+mnt+uts+ipc" and "spawn pid+mnt+uts+ipc+net": <c>/bin/true</c> in new pid, mount,
/// UTS and IPC namespaces (and a new network namespace), with the shared busybox root (COMPARE_SPAWN_ROOT, on disk)
/// as its root through pivot_root (the library's default), a fresh /proc (<see cref="MountKind.Proc"/>) and a
/// small /dev (<see cref="MountKind.Dev"/>), environment PATH=/bin only. Timed from
/// <see cref="IsolatedProcess.Start"/> to the return of <see cref="IsolatedProcess.WaitForExit()"/> with
/// <see cref="Stopwatch"/> (wall clock), after 20 untimed warm-up spawns.
/// </summary>
internal static class SpawnCase
{
    private const int WarmUp = 20;
    private static readonly string[] Namespaces = ["pid", "mnt", "uts", "ipc", "net"];

    /// <summary>True for a spawn case's name.</summary>
    public static bool Is(string name) => name is PidMountUtsIpc or PidMountUtsIpcNet or PidMountUtsIpcSeccomp;

    public const string PidMountUtsIpc = "spawn pid+mnt+uts+ipc";
    public const string PidMountUtsIpcNet = "spawn pid+mnt+uts+ipc+net";

    /// <summary>
    /// The first case with Docker's default seccomp profile as crun and runc get it in their config.json
    /// (COMPARE_SECCOMP_PROFILE, made by <c>seccomp-profile</c> from Debian's copy), loaded with
    /// <see cref="Seccomp.SeccompFilter.FromOciJson(string)"/> once, outside the timed part, and no_new_privs as in the bundle:
    /// the filter is compiled on the first start and its program reused by the later ones, as an orchestrator starting
    /// containers with one profile would.
    /// </summary>
    public const string PidMountUtsIpcSeccomp = "spawn pid+mnt+uts+ipc+seccomp";

    private static IsolatedProcessStartInfo StartInfo(string name, params string[] command)
    {
        string root = Environment.GetEnvironmentVariable("COMPARE_SPAWN_ROOT") ?? "";
        if (root.Length == 0)
        {
            throw new InvalidOperationException("COMPARE_SPAWN_ROOT must be set (benchmarks/compare/run sets it).");
        }

        var info = new IsolatedProcessStartInfo(command[0], command[1..])
        {
            NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc
                | (name == PidMountUtsIpcNet ? NamespaceFlags.Network : 0),
            RootDirectory = root,
        };
        if (name == PidMountUtsIpcSeccomp)
        {
            string profile = Environment.GetEnvironmentVariable("COMPARE_SECCOMP_PROFILE") ?? "";
            if (profile.Length == 0)
            {
                throw new InvalidOperationException("COMPARE_SECCOMP_PROFILE must be set (benchmarks/compare/run sets it).");
            }

            info.Seccomp = Seccomp.SeccompFilter.FromOciJson(File.ReadAllText(profile));
            info.NoNewPrivileges = true;
        }

        info.Mounts.Add(new IsolatedMount { Kind = MountKind.Proc, Target = "/proc" });
        info.Mounts.Add(new IsolatedMount { Kind = MountKind.Dev, Target = "/dev" });
        info.Environment.Clear();
        info.Environment["PATH"] = "/bin";
        return info;
    }

    /// <summary>Runs the probe inside and prints "NS new" or "NS host" per namespace, as <c>spawn-root describe</c> does.</summary>
    public static string Verify(string name)
    {
        IsolatedProcessStartInfo info = StartInfo(name, "/bin/sh", "-c", "for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done");
        info.StandardOutput = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        string[] inside;
        using (var reader = new StreamReader(p.StandardOutput!))
        {
            inside = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }

        ProcessExitStatus status = p.WaitForExit();
        if (status.ExitCode != 0)
        {
            throw new InvalidOperationException($"The probe ended with {status}.");
        }

        var text = new System.Text.StringBuilder();
        for (int i = 0; i < Namespaces.Length; i++)
        {
            string host = new FileInfo("/proc/self/ns/" + Namespaces[i]).LinkTarget ?? "";
            string state = i >= inside.Length ? "missing" : inside[i] == host ? "host" : "new";
            text.Append(Namespaces[i]).Append(' ').Append(state).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Warms up, then times <paramref name="n"/> spawns; returns (median, p99, mean) in ns (nearest rank).</summary>
    public static (long Median, long P99, long Mean) Measure(string name, int n)
    {
        IsolatedProcessStartInfo info = StartInfo(name, "/bin/true");
        for (int i = 0; i < WarmUp; i++)
        {
            SpawnOnce(info);
        }

        var samples = new long[n];
        for (int i = 0; i < n; i++)
        {
            samples[i] = SpawnOnce(info);
        }

        Array.Sort(samples);
        double sum = 0;
        foreach (long s in samples)
        {
            sum += s;
        }

        int p99 = Math.Max(1, (int)Math.Ceiling(0.99 * n));
        return (samples[(n + 1) / 2 - 1], samples[p99 - 1], (long)(sum / n));
    }

    private static long SpawnOnce(IsolatedProcessStartInfo info)
    {
        long start = Stopwatch.GetTimestamp();
        using IsolatedProcess p = IsolatedProcess.Start(info);
        ProcessExitStatus status = p.WaitForExit();
        long elapsed = Stopwatch.GetTimestamp() - start;
        if (status.ExitCode != 0)
        {
            throw new InvalidOperationException($"/bin/true ended with {status}.");
        }

        return (long)(elapsed * (1_000_000_000.0 / Stopwatch.Frequency));
    }

    /// <summary>The rows of one spawn case: "CASE (median)", "CASE (p99)", "CASE (mean)".</summary>
    public static void Print(string name, string implementation, int n, (long Median, long P99, long Mean) r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} (median)\t{implementation}\t{r.Median}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} (p99)\t{implementation}\t{r.P99}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} (mean)\t{implementation}\t{r.Mean}\t{n}"));
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Compare;

/// <summary>
/// "setup cgroup-lifecycle" through the library's public API, in the cgroup v2 hierarchy, below the parent
/// cgroup <c>run</c> made (COMPARE_CGROUP_V2, opened once with <see cref="Cgroup.Open"/>, as a runtime keeps its
/// parent open). One lifecycle: <see cref="Cgroup.CreateChild"/> with <see cref="CgroupResources.Raw"/>
/// cgroup.max.descendants = 10 and cgroup.max.depth = 2 (mkdirat, openat2 of the new directory, two writes: the
/// host's v2 hierarchy has no controller, so the limit is the core interface's); <see cref="Cgroup.AddProcess"/>
/// of COMPARE_CGROUP_PID on the child, then on the parent; <see cref="Cgroup.DeleteChild"/> (reads
/// cgroup.events, lists the children, unlinkat AT_REMOVEDIR).
/// </summary>
internal sealed partial class CgroupLifecycleCase : IDisposable
{
    public const string Name = "setup cgroup-lifecycle";

    private static readonly CgroupResources Limits = new()
    {
        Raw = new Dictionary<string, string> { ["cgroup.max.descendants"] = "10", ["cgroup.max.depth"] = "2" },
    };

    private readonly Cgroup _parent;
    private readonly int _pid;

    public CgroupLifecycleCase()
    {
        string parent = Environment.GetEnvironmentVariable("COMPARE_CGROUP_V2")
            ?? throw new InvalidOperationException("COMPARE_CGROUP_V2 is not set: run through benchmarks/compare/run");
        _pid = int.Parse(Environment.GetEnvironmentVariable("COMPARE_CGROUP_PID") ?? "", NumberStyles.None, CultureInfo.InvariantCulture);
        _parent = Cgroup.Open(parent);
    }

    public void Dispose() => _parent.Dispose();

    /// <summary>One lifecycle.</summary>
    public void Lifecycle(string name)
    {
        using (Cgroup child = _parent.CreateChild(name, Limits))
        {
            child.AddProcess(_pid);
            _parent.AddProcess(_pid);
        }

        _parent.DeleteChild(name);
    }

    /// <summary>One lifecycle with a check after each step, in the words of ../cgroup-lifecycle.sh.</summary>
    public string Verify()
    {
        const string name = "li-verify";
        var text = new System.Text.StringBuilder();
        string dir = Path.Combine(_parent.Path, name);
        using (Cgroup child = _parent.CreateChild(name))
        {
            text.Append("created: ").AppendLine(YesNo(Directory.Exists(dir)));
            child.Apply(Limits);
            bool limits = File.ReadAllText(Path.Combine(dir, "cgroup.max.descendants")).Trim() == "10"
                && File.ReadAllText(Path.Combine(dir, "cgroup.max.depth")).Trim() == "2";
            text.Append("limits read back: ").AppendLine(YesNo(limits));
            child.AddProcess(_pid);
            text.Append("process in the child: ").AppendLine(YesNo(InProcs(dir)));
            _parent.AddProcess(_pid);
            text.Append("process back in the parent: ").AppendLine(YesNo(InProcs(_parent.Path)));
        }

        _parent.DeleteChild(name);
        text.Append("child removed: ").AppendLine(YesNo(!Path.Exists(dir)));
        return text.ToString();
    }

    /// <summary>N lifecycles one after the other: wall-clock and CPU (process and reaped children) ns per lifecycle.</summary>
    public (double Wall, double Cpu) RunOnce(int n)
    {
        long cpu0 = ProcessCpuClock.Nanoseconds();
        long start = Stopwatch.GetTimestamp();
        for (int i = 1; i <= n; i++)
        {
            Lifecycle("li-" + i.ToString(CultureInfo.InvariantCulture));
        }

        double wall = Stopwatch.GetElapsedTime(start).Ticks * 100.0;
        long cpu = ProcessCpuClock.Nanoseconds() - cpu0;
        return (wall / n, (double)cpu / n);
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private bool InProcs(string dir) =>
        Array.IndexOf(File.ReadAllLines(Path.Combine(dir, "cgroup.procs")), _pid.ToString(CultureInfo.InvariantCulture)) >= 0;
}

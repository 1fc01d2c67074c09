using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.CgroupVmTests;

/// <summary>
/// The cgroup v2 checks that need real controllers. Runs as PID 1's child inside the VM that
/// tests/CgroupVm/run-tests.sh boots (cgroup2 at /sys/fs/cgroup, cgroup_no_v1=all). Prints "PASS name" or
/// "FAIL name: reason" per check and "N passed, N failed" last; exits 1 on any failure.
/// </summary>
internal static class Program
{
    private static readonly string[] Controllers = ["cpu", "memory", "pids", "io", "cpuset", "hugetlb"];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static int s_passed;
    private static int s_failed;

    private static int Main()
    {
        Console.WriteLine($"TIME main-entered uptime={File.ReadAllText("/proc/uptime").Split(' ')[0]}s");
        using Cgroup root = Cgroup.OpenRoot();
        Check("hierarchy-is-pure-v2", () =>
        {
            Expect(root.Hierarchy.MountPoint == "/sys/fs/cgroup", $"mount point {root.Hierarchy.MountPoint}");
            Expect(root.Hierarchy.V1Controllers.Count == 0, "v1 controllers: " + string.Join(",", root.Hierarchy.V1Controllers.Keys));
            IReadOnlyList<string> available = root.GetAvailableControllers();
            foreach (string c in Controllers)
            {
                Expect(available.Contains(c), $"root lacks {c}: {string.Join(" ", available)}");
            }
        });

        Check("enable-controllers", () =>
        {
            root.EnableControllers(Controllers);
            IReadOnlyList<string> enabled = root.GetEnabledControllers();
            Expect(Controllers.All(enabled.Contains), "subtree_control: " + string.Join(" ", enabled));
        });

        using Cgroup top = root.CreateChild("lxi-vm");
        top.EnableControllers(Controllers);

        Check("limits-read-back", () => InChild(top, "limits", g =>
        {
            g.Apply(new CgroupResources
            {
                Memory = new MemoryLimits { Max = 64 << 20, High = 48 << 20, Low = 1 << 20, Min = 512 << 10, SwapMax = 0, OomGroup = true },
                Pids = new PidsLimits { Max = 50 },
                Cpu = new CpuLimits { QuotaMicroseconds = CgroupResources.Unlimited, PeriodMicroseconds = 50_000, Weight = 200 },
            });
            ExpectFile(g, "memory.max", "67108864");
            ExpectFile(g, "memory.high", "50331648");
            ExpectFile(g, "memory.low", "1048576");
            ExpectFile(g, "memory.min", "524288");
            ExpectFile(g, "memory.swap.max", "0");
            ExpectFile(g, "memory.oom.group", "1");
            ExpectFile(g, "pids.max", "50");
            ExpectFile(g, "cpu.max", "max 50000");
            ExpectFile(g, "cpu.weight", "200");
            g.Apply(new CgroupResources { Cpu = new CpuLimits { PeriodMicroseconds = 20_000 }, Memory = new MemoryLimits { Max = CgroupResources.Unlimited } });
            ExpectFile(g, "cpu.max", "max 20000");
            ExpectFile(g, "memory.max", "max");
        }));

        Check("memory-max-oom-kill-event", () => InChild(top, "oom", g =>
        {
            g.Apply(new CgroupResources { Memory = new MemoryLimits { Max = 32 << 20, SwapMax = 0 } });
            using CgroupEventWatcher watcher = g.WatchEvents();
            Expect(watcher.InitialMemoryEvents is { OomKill: 0 }, "memory.events before: " + watcher.InitialMemoryEvents);
            using Process p = StartGated("exec dd if=/dev/zero of=/dev/null bs=64M count=1");
            g.AddProcess(p.Id);
            Release(p);
            Expect(p.WaitForExit(Patience), "dd still runs");
            Expect(p.ExitCode == 128 + 9, $"dd exit code {p.ExitCode}, expected 137 (SIGKILL)");
            CgroupEvent e = WaitForEvent(watcher, CgroupEventKind.OomKill);
            Expect(e.Memory is { OomKill: 1 }, "event counters: " + e.Memory);
            MemoryEvents after = g.ReadMemoryEvents();
            Expect(after.OomKill == 1 && after.Oom >= 1 && after.Max >= 1, $"memory.events oom={after.Oom} oom_kill={after.OomKill} max={after.Max}");
            MemoryStatistics m = g.GetMemoryStatistics();
            Expect(m.Peak is > 16 << 20 and <= 32 << 20, $"memory.peak {m.Peak}");
            Expect(m.Stat.Count == LineCount(g, "memory.stat"), $"memory.stat has {LineCount(g, "memory.stat")} lines, parsed {m.Stat.Count}");
        }));

        Check("pids-max-stops-fork-bomb", () => InChild(top, "pids", g =>
        {
            g.Apply(new CgroupResources { Pids = new PidsLimits { Max = 20 } });
            using Process p = StartGated("while :; do sleep 1000 & done");
            g.AddProcess(p.Id);
            Release(p);
            PidsStatistics s = WaitFor(() => g.GetPidsStatistics(), x => x.LimitHits > 0, "pids.events max > 0");
            // A fork charges the counter first and reverts it when over the limit (kernel/cgroup/pids.c,
            // pids_try_charge), so a read racing a refused fork may see max + 1 for an instant; what can never be
            // seen is a settled count above max, nor a peak (the watermark of successful charges) above it.
            s = WaitFor(() => g.GetPidsStatistics(), x => x.Current <= 20, "pids.current <= pids.max 20");
            Expect(s.Peak is null or 20, $"pids.peak {s.Peak}");
            Expect(s.Max == 20, $"pids.max {s.Max}");
            g.Kill();
            Expect(g.WaitUntilEmpty(Patience), "still populated after kill");
            // A killed task leaves cgroup.events "populated 0" at exit but keeps its pids charge until it is
            // reaped, which the guest's PID 1 does a moment later.
            WaitFor(() => g.GetPidsStatistics(), x => x.Current == 0, "pids.current 0 after kill");
        }));

        Check("cpu-max-10-percent-throttles", () => InChild(top, "cpu", g =>
        {
            g.Apply(new CgroupResources { Cpu = CpuLimits.FromPercentOfOneCpu(10) });
            ExpectFile(g, "cpu.max", "10000 100000");
            using Process p = StartGated("while :; do :; done");
            g.AddProcess(p.Id);
            Release(p);
            CpuStatistics s = WaitFor(() => g.GetCpuStatistics(), x => x.Throttled > 0 && x.ThrottledMicroseconds > 0, "nr_throttled > 0");
            Expect(s.Periods >= s.Throttled, $"nr_periods {s.Periods} < nr_throttled {s.Throttled}");
            Expect(s.All.Count == LineCount(g, "cpu.stat"), "cpu.stat keys lost");
            g.Kill();
            Expect(g.WaitUntilEmpty(Patience), "still populated after kill");
        }));

        Check("io-max-and-weight-read-back", () => InChild(top, "io", g =>
        {
            (int major, int minor) = BlockDevice();
            g.Apply(new CgroupResources
            {
                Io = new IoLimits
                {
                    Weight = 250,
                    DeviceLimits = [new IoDeviceLimit(major, minor) { ReadBytesPerSecond = 4 << 20, WriteIops = 120 }],
                },
            });
            ExpectFile(g, "io.max", $"{major}:{minor} rbps=4194304 wbps=max riops=max wiops=120");
            Expect(g.ReadFile("io.weight").Split('\n')[0] == "default 250", "io.weight: " + g.ReadFile("io.weight"));

            using Process p = StartGated($"exec dd if=/dev/ram0 of=/dev/null bs=64k count=16 iflag=direct");
            g.AddProcess(p.Id);
            Release(p);
            Expect(p.WaitForExit(Patience) && p.ExitCode == 0, "dd from /dev/ram0 failed");
            IoStatistics io = g.GetIoStatistics();
            IoDeviceStatistics? d = io.Devices.FirstOrDefault(x => x.Major == major && x.Minor == minor);
            Expect(d is { ReadBytes: >= 1 << 20, ReadOperations: > 0 }, "io.stat: " + g.ReadFile("io.stat").Trim());
            Expect(d!.All.Count == g.ReadFile("io.stat").Split('\n').First(l => l.StartsWith($"{major}:{minor} ", StringComparison.Ordinal)).Split(' ').Length - 1, "io.stat keys lost");
        }));

        Check("cpuset-read-back", () => InChild(top, "cpuset", g =>
        {
            string cpu = Environment.ProcessorCount > 1 ? "1" : "0";
            g.Apply(new CgroupResources { Cpuset = new CpusetLimits { Cpus = cpu, Mems = "0" } });
            ExpectFile(g, "cpuset.cpus", cpu);
            ExpectFile(g, "cpuset.mems", "0");
            ExpectFile(g, "cpuset.cpus.effective", cpu);
            using Process p = StartGated("exec sleep 1000");
            g.AddProcess(p.Id);
            string allowed = File.ReadAllLines($"/proc/{p.Id}/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            Expect(allowed.EndsWith("\t" + cpu, StringComparison.Ordinal), allowed);
            g.Kill();
            Expect(g.WaitUntilEmpty(Patience), "still populated after kill");
        }));

        Check("controller-not-enabled-error", () => InChild(top, "nested", g =>
        {
            using Cgroup inner = g.CreateChild("inner");
            try
            {
                inner.Apply(new CgroupResources { Memory = new MemoryLimits { Max = 1 << 20 } });
                Expect(false, "no exception");
            }
            catch (CgroupControllerUnavailableException e)
            {
                Expect(e.Message == $"the memory controller is not enabled for {inner.Path}: add it to {g.Path}/cgroup.subtree_control (EnableControllers on the parent)", e.Message);
            }
        }));

        Check("hugetlb-read-back", () => InChild(top, "hugetlb", g =>
        {
            g.Apply(new CgroupResources { Hugetlb = [new HugetlbLimit("2MB", 4 << 20)] });
            ExpectFile(g, "hugetlb.2MB.max", "4194304");
        }));

        Check("freeze-stops-busy-loop-thaw-resumes", () => InChild(top, "freeze", g =>
        {
            using Process p = StartGated("while :; do :; done");
            g.AddProcess(p.Id);
            Release(p);
            long started = CpuTicks(p.Id);
            WaitFor(() => CpuTicks(p.Id), t => t > started, "busy loop accumulating CPU time");
            g.Freeze();
            Expect(g.ReadEventsState().Frozen, "cgroup.events frozen 0 after Freeze");
            long frozen = CpuTicks(p.Id);
            Thread.Sleep(1000);
            Expect(CpuTicks(p.Id) == frozen, $"CPU time grew while frozen: {frozen} -> {CpuTicks(p.Id)}");
            g.Thaw();
            Expect(!g.ReadEventsState().Frozen, "cgroup.events frozen 1 after Thaw");
            WaitFor(() => CpuTicks(p.Id), t => t > frozen, "CPU time growing after thaw");
            g.Kill();
            Expect(g.WaitUntilEmpty(Patience), "still populated after kill");
        }));

        Check("kill-empties-group", () => InChild(top, "kill", g =>
        {
            var procs = new List<Process>();
            using (Cgroup a = g.CreateChild("a"))
            using (Cgroup b = g.CreateChild("b"))
            {
                for (int i = 0; i < 3; i++)
                {
                    Process p = StartGated("exec sleep 1000");
                    procs.Add(p);
                    (i == 0 ? a : b).AddProcess(p.Id);
                }
            }

            Expect(g.ReadEventsState().Populated, "not populated");
            g.Kill();
            Expect(g.WaitUntilEmpty(Patience), "still populated after kill");
            foreach (Process p in procs)
            {
                Expect(p.WaitForExit(Patience), $"{p.Id} survived");
                p.Dispose();
            }
        }));

        Check("populated-events", () => InChild(top, "events", g =>
        {
            using CgroupEventWatcher watcher = g.WatchEvents();
            // cgroup.events is a state, not a log: a process that came and went between two reads of the watcher
            // would show no change at all. So the process is let go only once "populated 1" has been seen.
            using Process p = StartGated("exit 0");
            g.AddProcess(p.Id);
            var seen = new List<CgroupEventKind> { WaitForEvent(watcher, CgroupEventKind.Populated).Kind };
            Release(p);
            seen.Add(WaitForEvent(watcher, CgroupEventKind.Emptied).Kind);
            Expect(seen.SequenceEqual([CgroupEventKind.Populated, CgroupEventKind.Emptied]), string.Join(",", seen));
        }));

        Check("statistics-parse-without-loss", () =>
        {
            CgroupStatistics s = top.GetStatistics();
            Expect(s.Memory is not null && s.Pids is not null && s.Io is not null, "a controller's statistics are missing");
            Expect(s.CpuPressure is not null && s.MemoryPressure is not null && s.IoPressure is not null, "pressure missing");
            Expect(s.Memory!.Stat.Count == LineCount(top, "memory.stat"), "memory.stat keys lost");
            Expect(s.Cpu.All.Count == LineCount(top, "cpu.stat"), "cpu.stat keys lost");
            Expect(s.Cpu.UsageMicroseconds > 0 && s.Cpu.Throttled is not null, "cpu.stat " + s.Cpu);
            Expect(s.Memory.Peak is not null && s.Pids!.Peak is not null, "peaks missing on Linux 6.12");
            Expect(s.MemoryPressure!.Full is not null, "memory.pressure has no full line");
            string some = top.ReadFile("cpu.pressure").Split('\n')[0];
            Expect(some.EndsWith("total=" + s.CpuPressure!.Some.TotalMicroseconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                || s.CpuPressure.Some.TotalMicroseconds > 0, "cpu.pressure: " + some);
        });

        top.Dispose();
        Check("delete-tree", () =>
        {
            using (Cgroup again = Cgroup.Open("/lxi-vm"))
            using (Cgroup leftover = again.CreateChild("leftover"))
            {
                Process p = StartGated("exec sleep 1000");
                leftover.AddProcess(p.Id);
            }

            root.DeleteChild("lxi-vm");
            Expect(!Directory.Exists("/sys/fs/cgroup/lxi-vm"), "directory still there");
        });

        Console.WriteLine($"{s_passed} passed, {s_failed} failed");
        return s_failed == 0 ? 0 : 1;
    }

    private static void Check(string name, Action body)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            body();
            s_passed++;
            Console.WriteLine("PASS " + name);
        }
        catch (Exception e)
        {
            s_failed++;
            Console.WriteLine($"FAIL {name}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }

        Console.WriteLine($"TIME {name} {watch.ElapsedMilliseconds} ms");
    }

    private static void InChild(Cgroup top, string name, Action<Cgroup> body)
    {
        try
        {
            using Cgroup g = top.CreateChild(name);
            body(g);
        }
        finally
        {
            top.DeleteChild(name);
        }
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    private static void ExpectFile(Cgroup g, string file, string expected)
    {
        string actual = g.ReadFile(file).Trim();
        Expect(actual == expected, $"{file} reads \"{actual}\", expected \"{expected}\"");
    }

    private static int LineCount(Cgroup g, string file) => g.ReadFile(file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>Test-side waiting for a statistic (the library's events are notified, statistics are not).</summary>
    private static T WaitFor<T>(Func<T> read, Func<T, bool> done, string what)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            T value = read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}; last: {value}");
            }

            Thread.Sleep(50);
        }
    }

    private static CgroupEvent WaitForEvent(CgroupEventWatcher watcher, CgroupEventKind kind) => WaitForEventAsync(watcher, kind).GetAwaiter().GetResult();

    private static async Task<CgroupEvent> WaitForEventAsync(CgroupEventWatcher watcher, CgroupEventKind kind)
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await foreach (CgroupEvent e in watcher.ReadAllAsync(cts.Token))
            {
                if (e.Kind == kind)
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"no {kind} event within {Patience.TotalSeconds} s");
    }

    /// <summary>Starts `sh -c` that waits for a line on stdin first, so it can be moved into a cgroup before it runs.</summary>
    private static Process StartGated(string script)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("read _; " + script);
        return Process.Start(psi) ?? throw new InvalidOperationException("sh did not start");
    }

    private static void Release(Process p)
    {
        p.StandardInput.WriteLine();
        p.StandardInput.Close();
    }

    private static long CpuTicks(int pid) => LinuxIsolation.TestShared.ProcStat.CpuTicks(pid);

    private static (int Major, int Minor) BlockDevice()
    {
        string dev = File.ReadAllText("/sys/block/ram0/dev").Trim();
        string[] mm = dev.Split(':');
        return (int.Parse(mm[0], CultureInfo.InvariantCulture), int.Parse(mm[1], CultureInfo.InvariantCulture));
    }
}

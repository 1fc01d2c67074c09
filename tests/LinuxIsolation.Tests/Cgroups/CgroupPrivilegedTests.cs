using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Cgroups;
using Xunit;

namespace LinuxIsolation.Tests.Cgroups;

/// <summary>
/// Against this host's real cgroup v2 hierarchy (hybrid: no memory/cpu/pids/io controllers in v2). Every test
/// works in a subtree of its own (<see cref="TestCgroup"/>) and removes it.
/// </summary>
public class CgroupPrivilegedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void HierarchyIsTheCgroup2MountOfMountinfo()
    {
        Privileged.Require();
        CgroupHierarchy h = CgroupHierarchy.Find();
        Assert.Equal(TestCgroup.Cgroup2MountPoint(), h.MountPoint);
        Assert.True(File.Exists(Path.Combine(h.MountPoint, "cgroup.controllers")));
        string rootControllers = File.ReadAllText(Path.Combine(h.MountPoint, "cgroup.controllers")).Trim();
        Assert.Equal(rootControllers.Split(' ', StringSplitOptions.RemoveEmptyEntries), h.GetRootControllers());
    }

    [Fact]
    public void CurrentCgroupIsTheZeroLineOfProcSelfCgroup()
    {
        Privileged.Require();
        using Cgroup current = Cgroup.OpenCurrent();
        Assert.Equal(TestCgroup.CgroupOf(Environment.ProcessId), current.RelativePath);
        Assert.True(Directory.Exists(current.Path));
    }

    [Fact]
    public void CreateNestedChildrenThenDeleteTheTree()
    {
        using var t = new TestCgroup();
        Assert.True(Directory.Exists(t.Group.Path));
        using (Cgroup a = t.Group.CreateChild("a"))
        using (Cgroup b = a.CreateChild("b"))
        {
            Assert.Equal(t.Group.RelativePath + "/a/b", b.RelativePath);
            Assert.True(Directory.Exists(b.Path));
            Assert.Equal(["a"], t.Group.ListChildren());
            Assert.True(t.Group.ChildExists("a"));
        }

        using (Cgroup reopened = Cgroup.Open(t.Group.Path + "/a/b"))
        {
            Assert.Equal("b", reopened.Name);
        }

        using (Cgroup reopened = Cgroup.Open(t.Group.RelativePath.TrimStart('/') + "/a"))
        {
            Assert.Equal(["b"], reopened.ListChildren());
        }

        t.Group.DeleteChild("a");
        Assert.False(Directory.Exists(Path.Combine(t.Group.Path, "a")));
        Assert.Empty(t.Group.ListChildren());
        t.Group.DeleteChild("a"); // already gone: not an error
    }

    [Fact]
    public void CreatingAnExistingChildSaysSo()
    {
        using var t = new TestCgroup();
        using (t.Group.CreateChild("twice"))
        {
        }

        var e = Assert.Throws<CgroupException>(() => t.Group.CreateChild("twice"));
        Assert.Equal("EEXIST", e.ErrorName);
        Assert.Contains(t.Group.Path + "/twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NamesAndPathsThatWouldEscapeAreRefusedBeforeAnySyscall()
    {
        using var t = new TestCgroup();
        Assert.Throws<ArgumentException>(() => t.Group.CreateChild(".."));
        Assert.Throws<ArgumentException>(() => t.Group.CreateChild("../escaped"));
        Assert.Throws<ArgumentException>(() => t.Group.OpenChild("a/../.."));
        Assert.Throws<ArgumentException>(() => t.Group.ReadFile("../cgroup.procs"));
        Assert.Throws<ArgumentException>(() => t.Group.WriteFile("/etc/passwd", "x"));
        Assert.Throws<ArgumentException>(() => Cgroup.Open(t.Group.Path + "/../.."));
        Assert.Throws<ArgumentException>(() => t.Group.DeleteChild(".."));
        Assert.False(Directory.Exists(Path.Combine(t.Root.Path, "escaped")));
        Assert.Empty(t.Group.ListChildren());
    }

    [Fact]
    public void OpenBeneathRefusesSymlinksAndDotDotInTheKernel()
    {
        Privileged.Require();
        string dir = Path.Combine(Path.GetTempPath(), $"lxi-beneath-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "inside"), "ok");
            File.CreateSymbolicLink(Path.Combine(dir, "link"), "/etc/hostname");
            using var handle = new SafeFileDescriptor(Interop.open(dir, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0), true);
            Assert.False(handle.IsInvalid);

            int ok = CgroupFiles.OpenBeneath(handle, "inside", Interop.O_RDONLY);
            Assert.True(ok >= 0);
            Interop.close(ok);
            Assert.Equal(-40 /* ELOOP */, CgroupFiles.OpenBeneath(handle, "link", Interop.O_RDONLY));
            Assert.Equal(-18 /* EXDEV */, CgroupFiles.OpenBeneath(handle, "../" + Path.GetFileName(dir) + "/inside", Interop.O_RDONLY));
            Assert.Equal(-18 /* EXDEV */, CgroupFiles.OpenBeneath(handle, "/etc/hostname", Interop.O_RDONLY));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void HandleIsTheCgroupDirectoryForCloneIntoCgroup()
    {
        using var t = new TestCgroup();
        Assert.False(t.Group.Handle.IsInvalid);
        string target = new FileInfo($"/proc/self/fd/{t.Group.Handle.DangerousFileDescriptor}").LinkTarget!;
        Assert.Equal(t.Group.Path, target);
        string flags = File.ReadAllLines($"/proc/self/fdinfo/{t.Group.Handle.DangerousFileDescriptor}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
        int octal = Convert.ToInt32(flags.Substring(6).Trim(), 8);
        Assert.Equal(Interop.O_CLOEXEC, octal & Interop.O_CLOEXEC);
        Assert.Equal(0, octal & Interop.O_PATH); // clone3 refuses O_PATH descriptors
    }

    [Fact]
    public void AddProcessMovesASleepIntoTheCgroup()
    {
        using var t = new TestCgroup();
        Process sleep = TestCgroup.Start("sleep", "300");
        try
        {
            t.Group.AddProcess(sleep.Id);
            Assert.Equal(t.Group.RelativePath, TestCgroup.CgroupOf(sleep.Id));
            Assert.Equal([sleep.Id], t.Group.GetProcesses());
            Assert.True(t.Group.ReadEventsState().Populated);
            Assert.Contains(sleep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(Path.Combine(t.Group.Path, "cgroup.procs")), StringComparison.Ordinal);
        }
        finally
        {
            TestCgroup.Stop(sleep);
        }
    }

    [Fact]
    public void AddingAProcessThatDoesNotExistNamesFileAndValue()
    {
        using var t = new TestCgroup();
        var e = Assert.Throws<CgroupException>(() => t.Group.AddProcess(int.MaxValue));
        Assert.Equal("ESRCH", e.ErrorName);
        Assert.StartsWith($"write \"{int.MaxValue}\" to {t.Group.Path}/cgroup.procs: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KillEmptiesTheGroupWithCgroupKill()
    {
        using var t = new TestCgroup();
        using Cgroup inner = t.Group.CreateChild("inner");
        Process a = TestCgroup.Start("sleep", "300");
        Process b = TestCgroup.Start("sleep", "300");
        try
        {
            t.Group.CreateChild("leaf").Dispose();
            inner.AddProcess(a.Id);
            using (Cgroup leaf = t.Group.OpenChild("leaf"))
            {
                leaf.AddProcess(b.Id);
            }

            Assert.True(File.Exists(Path.Combine(t.Group.Path, "cgroup.kill")));
            t.Group.Kill();
            Assert.True(t.Group.WaitUntilEmpty(Patience));
            Assert.True(a.WaitForExit(Patience));
            Assert.True(b.WaitForExit(Patience));
            Assert.False(t.Group.ReadEventsState().Populated);
            Assert.Empty(inner.GetProcesses());
        }
        finally
        {
            TestCgroup.Stop(a);
            TestCgroup.Stop(b);
        }
    }

    [Fact]
    public void KillFallbackFreezesSignalsAndThaws()
    {
        using var t = new TestCgroup();
        Process a = TestCgroup.Start("sleep", "300");
        try
        {
            t.Group.AddProcess(a.Id);
            t.Group.KillBySignal();
            Assert.True(t.Group.WaitUntilEmpty(Patience));
            Assert.True(a.WaitForExit(Patience));
            Assert.False(t.Group.ReadEventsState().Frozen);
            Assert.Equal("0", File.ReadAllText(Path.Combine(t.Group.Path, "cgroup.freeze")).Trim());
        }
        finally
        {
            TestCgroup.Stop(a);
        }
    }

    [Fact]
    public void DeletingAPopulatedChildKillsItsProcessesFirst()
    {
        using var t = new TestCgroup();
        Process a = TestCgroup.Start("sleep", "300");
        try
        {
            using (Cgroup busy = t.Group.CreateChild("busy"))
            {
                busy.AddProcess(a.Id);
            }

            t.Group.DeleteChild("busy");
            Assert.True(a.WaitForExit(Patience));
            Assert.False(Directory.Exists(Path.Combine(t.Group.Path, "busy")));
        }
        finally
        {
            TestCgroup.Stop(a);
        }
    }

    [Fact]
    public void FreezeStopsABusyLoopAndThawResumesIt()
    {
        using var t = new TestCgroup();
        Process busy = TestCgroup.Start("sh", "-c", "while :; do :; done");
        try
        {
            t.Group.AddProcess(busy.Id);
            t.Group.Freeze();
            Assert.True(t.Group.ReadEventsState().Frozen);
            Assert.Equal("1", File.ReadAllText(Path.Combine(t.Group.Path, "cgroup.freeze")).Trim());
            long before = TestCgroup.CpuTicks(busy.Id);
            Thread.Sleep(500);
            Assert.Equal(before, TestCgroup.CpuTicks(busy.Id)); // did not grow while frozen

            t.Group.Thaw();
            Assert.False(t.Group.ReadEventsState().Frozen);
            DateTime deadline = DateTime.UtcNow + Patience;
            while (TestCgroup.CpuTicks(busy.Id) == before && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.True(TestCgroup.CpuTicks(busy.Id) > before);
        }
        finally
        {
            t.Group.Kill();
            TestCgroup.Stop(busy);
        }
    }

    [Fact]
    public async Task PopulatedAndEmptiedAreDeliveredAsTheyHappen()
    {
        using var t = new TestCgroup();
        using CgroupEventWatcher watcher = t.Group.WatchEvents();
        Assert.False(watcher.InitialState.Populated);
        Assert.Null(watcher.InitialMemoryEvents); // no memory controller in v2 on this host

        // cgroup.events is a state that the watcher reads when woken: a process that came and went between two
        // reads would show no change at all. So the process ends only once "populated 1" has been delivered.
        Process sleep = TestCgroup.Start("sleep", "300");
        try
        {
            t.Group.AddProcess(sleep.Id);
            var seen = new List<CgroupEventKind>();
            using var cts = new CancellationTokenSource(Patience);
            await foreach (CgroupEvent e in watcher.ReadAllAsync(cts.Token))
            {
                seen.Add(e.Kind);
                if (e.Kind == CgroupEventKind.Populated)
                {
                    Assert.True(e.State.Populated);
                    sleep.Kill();
                }
                else if (e.Kind == CgroupEventKind.Emptied)
                {
                    Assert.False(e.State.Populated);
                    break;
                }
            }

            Assert.Equal([CgroupEventKind.Populated, CgroupEventKind.Emptied], seen);
            Assert.True(sleep.WaitForExit(Patience));
        }
        finally
        {
            TestCgroup.Stop(sleep);
        }
    }

    [Fact]
    public void CallbackGetsFrozenThawedAndEmptiedOnTheWatchThread()
    {
        using var t = new TestCgroup();
        Process sleep = TestCgroup.Start("sleep", "300");
        var events = new System.Collections.Concurrent.BlockingCollection<(CgroupEventKind Kind, int Thread)>();
        try
        {
            t.Group.AddProcess(sleep.Id);
            using CgroupEventWatcher watcher = t.Group.WatchEvents(e => events.Add((e.Kind, Environment.CurrentManagedThreadId)));
            Assert.True(watcher.InitialState.Populated);
            var kinds = new List<CgroupEventKind>();
            void TakeUntil(CgroupEventKind wanted)
            {
                while (!kinds.Contains(wanted) && events.TryTake(out var e, Patience))
                {
                    kinds.Add(e.Kind);
                    Assert.NotEqual(Environment.CurrentManagedThreadId, e.Thread);
                }
            }

            // Changes between two wake-ups coalesce, so each step waits for its event before the next.
            t.Group.Freeze();
            TakeUntil(CgroupEventKind.Frozen);
            t.Group.Thaw();
            TakeUntil(CgroupEventKind.Thawed);
            sleep.Kill();
            TakeUntil(CgroupEventKind.Emptied);
            Assert.Equal([CgroupEventKind.Frozen, CgroupEventKind.Thawed, CgroupEventKind.Emptied], kinds);
        }
        finally
        {
            TestCgroup.Stop(sleep);
        }
    }

    [Fact]
    public async Task DisposingTheWatcherEndsTheStream()
    {
        using var t = new TestCgroup();
        CgroupEventWatcher watcher = t.Group.WatchEvents();
        Task<int> reader = Task.Run(async () =>
        {
            int n = 0;
            await foreach (CgroupEvent e in watcher.ReadAllAsync())
            {
                n++;
            }

            return n;
        });
        watcher.Dispose();
        watcher.Dispose();
        Assert.Equal(0, await reader.WaitAsync(Patience));
    }

    [Fact]
    public void RootCgroupRefusesLimits()
    {
        using var t = new TestCgroup();
        Assert.True(t.Root.IsRoot);
        Assert.False(t.Group.IsRoot);
        var e = Assert.Throws<InvalidOperationException>(() => t.Root.Apply(new CgroupResources { Pids = new PidsLimits { Max = 5 } }));
        Assert.Contains($"the root cgroup {t.Root.Path} has no limit files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CpuStatIsReadableWithoutTheCpuController()
    {
        using var t = new TestCgroup();
        Assert.DoesNotContain("cpu", t.Group.GetAvailableControllers());
        Process busy = TestCgroup.Start("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done");
        try
        {
            t.Group.AddProcess(busy.Id);
            Assert.True(busy.WaitForExit(TimeSpan.FromMinutes(2)));
            CpuStatistics cpu = t.Group.GetCpuStatistics();
            string raw = File.ReadAllText(Path.Combine(t.Group.Path, "cpu.stat"));
            Assert.Contains($"usage_usec {cpu.UsageMicroseconds}\n", raw, StringComparison.Ordinal);
            Assert.True(cpu.UsageMicroseconds > 0);
            Assert.True(cpu.UserMicroseconds + cpu.SystemMicroseconds > 0);
            Assert.Null(cpu.Throttled);
            Assert.Equal(raw.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, cpu.All.Count);

            CgroupStatistics all = t.Group.GetStatistics();
            Assert.Null(all.Memory);
            Assert.Null(all.Pids);
            Assert.True(all.Cpu.UsageMicroseconds >= cpu.UsageMicroseconds);
            Assert.NotNull(all.CpuPressure);
        }
        finally
        {
            TestCgroup.Stop(busy);
        }
    }

    [Fact]
    public void MemoryLimitOnThisHybridHostSaysItIsBoundToCgroupV1()
    {
        using var t = new TestCgroup();
        string v1Memory = File.ReadAllLines("/proc/self/mountinfo")
            .Where(l => l.Contains(" - cgroup ", StringComparison.Ordinal) && l.Split(' ').Last().Split(',').Contains("memory"))
            .Select(l => l.Split(' ')[4]).Single();
        string expected = $"the memory controller is not available in the cgroup v2 hierarchy at {TestCgroup.Cgroup2MountPoint()}: it is bound to a cgroup v1 hierarchy ({v1Memory})";

        var e = Assert.Throws<CgroupControllerUnavailableException>(() => t.Group.Apply(new CgroupResources { Memory = new MemoryLimits { Max = 64 << 20 } }));
        Assert.Equal(expected, e.Message);
        Assert.Equal("memory", e.Controller);
        Assert.Equal(v1Memory, e.V1MountPoint);

        var e2 = Assert.Throws<CgroupControllerUnavailableException>(() => t.Group.EnableControllers("memory"));
        Assert.Equal(expected, e2.Message);
        Assert.Equal(expected, Assert.Throws<CgroupControllerUnavailableException>(() => t.Group.GetMemoryStatistics()).Message);
        Assert.False(File.Exists(Path.Combine(t.Group.Path, "memory.max")));
    }

    [Fact]
    public void CreateChildWithUnavailableLimitsLeavesNoDirectory()
    {
        using var t = new TestCgroup();
        Assert.Throws<CgroupControllerUnavailableException>(() =>
            t.Group.CreateChild("limited", new CgroupResources { Pids = new PidsLimits { Max = 10 } }));
        Assert.False(Directory.Exists(Path.Combine(t.Group.Path, "limited")));
    }

    [Fact]
    public void RawWritesRoundTripAndErrorsNameFileAndValue()
    {
        using var t = new TestCgroup();
        t.Group.Apply(new CgroupResources { Raw = new Dictionary<string, string> { ["cgroup.max.depth"] = "3", ["cgroup.max.descendants"] = "7" } });
        Assert.Equal("3", File.ReadAllText(Path.Combine(t.Group.Path, "cgroup.max.depth")).Trim());
        Assert.Equal("7", t.Group.ReadFile("cgroup.max.descendants").Trim());

        var e = Assert.Throws<CgroupException>(() => t.Group.WriteFile("cgroup.max.depth", "bogus"));
        Assert.Equal("EINVAL", e.ErrorName);
        Assert.Equal($"write \"bogus\" to {t.Group.Path}/cgroup.max.depth: Invalid argument (EINVAL)", e.Message);

        var missing = Assert.Throws<CgroupException>(() => t.Group.ReadFile("no.such.file"));
        Assert.Equal("ENOENT", missing.ErrorName);
        Assert.Contains($"{t.Group.Path}/no.such.file", missing.Message, StringComparison.Ordinal);
    }
}

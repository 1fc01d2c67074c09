using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using LinuxIsolation.TestShared;
using Xunit;
using Xunit.Abstractions;

namespace LinuxIsolation.Tests.Processes;

/// <summary>Counts of this process's descriptors, threads and children: nothing else may run meanwhile.</summary>
[CollectionDefinition("Process-wide counts", DisableParallelization = true)]
public sealed class ProcessWideCountsCollection
{
}

[Collection("Process-wide counts")]
public class IsolatedProcessSoakTests
{
    private readonly ITestOutputHelper _output;

    public IsolatedProcessSoakTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task ThousandStartWaitCyclesLeaveNothingBehind()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        IsolatedProcessStartInfo Make()
        {
            var info = new IsolatedProcessStartInfo("/bin/true")
            {
                NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc,
                RootDirectory = root.Path,
                StandardOutput = ProcessStdio.Pipe,
            };
            info.Environment.Clear();
            return info;
        }

        // One warm-up start creates the pidfd watcher thread.
        using (IsolatedProcess warm = IsolatedProcess.Start(Make()))
        {
            await warm.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }

        string[] fdsBefore = Descriptors();
        int fds = fdsBefore.Length;
        string[] threads = NonRuntimeThreads();
        var times = new double[1000];
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using IsolatedProcess p = IsolatedProcess.Start(Make());
            ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            Assert.Equal(0, status.ExitCode);
        }

        Assert.Equal(0, PidfdWatcher.Instance.Count);
        string[] fdsAfterList = Descriptors();
        int fdsAfter = fdsAfterList.Length;
        string[] threadsAfter = NonRuntimeThreads();
        _output.WriteLine($"descriptors {fds} -> {fdsAfter} (new: {string.Join(", ", fdsAfterList.Except(fdsBefore))}; gone: {string.Join(", ", fdsBefore.Except(fdsAfterList))}), threads other than the runtime's {threads.Length} -> {threadsAfter.Length}");
        // A leak per start would show as a thousand. Managed assemblies the runtime loads meanwhile are not counted;
        // something else of the runtime's may still open a descriptor or two lazily.
        Assert.True(fdsAfter <= fds + 2, $"descriptors {fds} -> {fdsAfter}: new {string.Join(", ", fdsAfterList.Except(fdsBefore))}");
        // One watcher thread for all processes. The runtime's own threads (".NET TP Worker", ".NET BGC",
        // ".NET Tiered Com", ...) come and go on their own and are not counted; no other thread may be new (one made
        // by an earlier test may have ended meanwhile).
        Assert.Single(threadsAfter, t => t == "lxi-pidfd-wait");
        var remaining = threads.ToList();
        string[] added = threadsAfter.Where(t => !remaining.Remove(t)).ToArray();
        Assert.True(added.Length == 0, $"new threads: {string.Join(", ", added)} (before: {string.Join(", ", threads)})");
        // Other tests on this machine mount and unmount in the host namespace (ip netns); ours never do.
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(root.Path, StringComparison.Ordinal));
        Assert.Empty(ProcStat.Children(Environment.ProcessId));

        Array.Sort(times);
        _output.WriteLine($"1000 x /bin/true in new pid+mnt+uts+ipc namespaces with pivot_root: median {times[500]:F2} ms, p99 {times[990]:F2} ms");
    }

    [Fact]
    public void FailedStartsLeaveNoChildAndNoDescriptor()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        string cpuset = $"/sys/fs/cgroup/cpuset/lxi-spawn-{Environment.ProcessId}";
        Directory.CreateDirectory(cpuset);
        try
        {
            RunFailures(root, cpuset);
        }
        finally
        {
            Directory.Delete(cpuset);
        }
    }

    private static void RunFailures(TestRootFs root, string cpuset)
    {
        string[] fds = [];
        for (int i = -1; i < 50; i++)
        {
            if (i == 0)
            {
                // Round -1 was the warm-up: whatever the runtime or the library opens once (and keeps) is open now.
                fds = Descriptors();
            }

            // Fails in the child (pivot_root), after the pipes, the pidfd and the stdio pipes were made.
            var info = new IsolatedProcessStartInfo("/bin/true")
            {
                NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid | NamespaceFlags.User,
                RootDirectory = root.Path,
                BindMountRoot = false,
                StandardOutput = ProcessStdio.Pipe,
                StandardError = ProcessStdio.Pipe,
            };
            Assert.Equal(SpawnStep.PivotRoot, Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info)).Step);

            // Fails in the parent after clone: a new cpuset cgroup has no CPUs, so cgroup.procs refuses the child.
            var bad = new IsolatedProcessStartInfo("/bin/true") { CgroupPath = cpuset, ForceCloneFallback = (i & 1) == 0 };
            var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(bad));
            Assert.Equal(SpawnStep.CgroupPlacement, e.Step);
            Assert.Equal(cpuset + "/cgroup.procs", e.Path);
        }

        string[] leaked = Descriptors().Except(fds).ToArray();
        Assert.True(leaked.Length == 0, "descriptors leaked: " + string.Join(", ", leaked));
        Assert.Empty(ProcStat.Children(Environment.ProcessId));
    }

    /// <summary>The names of this process's threads that the runtime did not make itself, sorted.</summary>
    private static string[] NonRuntimeThreads() =>
        Directory.GetDirectories("/proc/self/task").Select(t =>
        {
            try
            {
                return File.ReadAllText(Path.Combine(t, "comm")).Trim();
            }
            catch (IOException)
            {
                return ".NET (ended)"; // a thread that ended between the listing and the read
            }
        }).Where(n => !n.StartsWith(".NET ", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    private static string[] Descriptors() => ProcStat.Descriptors();
}

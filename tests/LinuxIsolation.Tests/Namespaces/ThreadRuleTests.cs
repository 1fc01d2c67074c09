using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>
/// The acceptance test of the thread rule (ARCHITECTURE.md): after many concurrent namespace operations from
/// thread-pool work, every thread of the process is still in the network namespace it started in.
/// </summary>
/// <remarks>
/// These tests run alone (no other test of the assembly runs meanwhile), so that no dedicated thread of another
/// test is legitimately inside a namespace while every thread is checked.
/// </remarks>
[Collection(ThreadRuleCollection.Name)]
public class ThreadRuleTests
{
    private const int Operations = 1000;
    private const int NamespaceCount = 50;

    [Fact]
    public async Task ThousandConcurrentOperationsLeaveEveryTaskInItsNamespacesAndOnlyTheWorkerEverLeft()
    {
        Privileged.Require();
        Dictionary<string, string> original = ProcessNamespaces();
        AssertEveryTaskIn(original);

        var namespaces = new NetworkNamespace[NamespaceCount];
        var names = new List<string>();
        int completed = 0;
        long sequencesBefore = NamespaceWorker.Completed;
        using var sampler = new ForeignNamespaceSampler(original["net"]);
        try
        {
            for (int i = 0; i < NamespaceCount; i++)
            {
                if (i % 5 == 0)
                {
                    string name = NsTool.UniqueName("rule");
                    names.Add(name);
                    namespaces[i] = NetworkNamespace.CreateNamed(name);
                }
                else
                {
                    namespaces[i] = NetworkNamespace.CreateAnonymous();
                }
            }

            // The library's own fixed sequences only (no caller delegate: those get a dedicated thread of their own).
            Task[] work = Enumerable.Range(0, Operations).Select(i => Task.Run(() =>
            {
                NetworkNamespace ns = namespaces[i % NamespaceCount];
                switch (i % 7)
                {
                    case 0:
                        using (RtnetlinkClient client = ns.OpenRtnetlink())
                        {
                            Link tap = client.CreateTunTap(string.Create(CultureInfo.InvariantCulture, $"rt{i}"), TunTapMode.Tap);
                            client.DeleteLink(tap.Index);
                        }

                        break;
                    case 1:
                        using (RtnetlinkClient client = ns.OpenRtnetlink())
                        {
                            Assert.Contains(client.ListLinks(), l => l.Name == "lo");
                        }

                        break;
                    case 2:
                        Assert.Equal("0", ns.ReadSysctl("net.ipv4.ip_forward"));
                        break;
                    case 3:
                        using (Socket socket = ns.OpenSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
                        {
                            Assert.Equal(AddressFamily.InterNetwork, socket.AddressFamily);
                        }

                        break;
                    case 4:
                        using (NetworkNamespace fresh = NetworkNamespace.CreateAnonymous())
                        {
                            Assert.False(fresh.IsSameAs(ns));
                        }

                        break;
                    case 5:
                        string named = NsTool.UniqueName("rulen");
                        using (NetworkNamespace.CreateNamed(named))
                        {
                        }

                        NetworkNamespace.Delete(named);
                        break;
                    default:
                        ns.WriteSysctl("net.ipv4.conf.lo.rp_filter", "0");
                        break;
                }

                Interlocked.Increment(ref completed);
            })).ToArray();
            await Task.WhenAll(work);
            Assert.Equal(Operations, completed);
        }
        finally
        {
            sampler.Stop();
            foreach (NetworkNamespace? ns in namespaces)
            {
                ns?.Dispose();
            }

            foreach (string name in names)
            {
                NetworkNamespace.Delete(name);
            }
        }

        // Every operation went through the worker (a tun/tap and a named namespace count once, the rest once each).
        Assert.True(NamespaceWorker.Completed - sequencesBefore >= Operations, $"{NamespaceWorker.Completed - sequencesBefore} sequences ran on the worker for {Operations} operations");
        int worker = NamespaceWorker.ThreadId;
        Assert.NotEqual(0, worker);
        Assert.True(sampler.Sweeps > 10, $"the sampler looked only {sampler.Sweeps} times");
        Assert.True(sampler.Seen.All(t => t.Key == worker), "tasks other than the worker were seen in another network namespace: " + string.Join(", ", sampler.Seen.Select(t => $"{t.Key} ({t.Value})")));
        Assert.DoesNotContain(sampler.Started, comm => comm.StartsWith("lxi-", StringComparison.Ordinal) && comm != NamespaceWorker.ThreadName);
        AssertEveryTaskIn(original);
        Assert.Empty(NetworkNamespace.List().Intersect(names));
    }

    [Fact]
    public async Task AFailedRestoreTerminatesTheProcess()
    {
        Privileged.Require();

        // In a child process (tests/OwnerCrashChild, mode restore-fault): the worker's restore is made to fail.
        string dll = Path.Combine(AppContext.BaseDirectory, "OwnerCrashChild.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("restore-fault");
        info.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using Process child = Process.Start(info)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        string error = await child.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync(timeout.Token);
        string printed = await output;

        Assert.Equal(128 + 6, child.ExitCode); // SIGABRT
        Assert.Contains("setns back into a thread's own namespace failed (errno 5)", error, StringComparison.Ordinal);
        Assert.Contains("entering", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("returned", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatingWithAClientEntersOnceAndTheClientWorksInside()
    {
        // Here, where no other test runs meanwhile, the worker's count of sequences is this test's alone.
        Privileged.Require();
        string name = NsTool.UniqueName("withclient");
        long before = NamespaceWorker.Completed;
        using (NetworkNamespace ns = NetworkNamespace.CreateNamed(name, out RtnetlinkClient client))
        using (client)
        {
            Assert.Equal(1, NamespaceWorker.Completed - before);
            Assert.Contains(name, NsTool.IpNetnsList());
            Link lo = Assert.Single(client.ListLinks());
            client.SetLinkUp(lo.Index);
            Assert.Contains("UP", NsTool.Run("ip", "-n", name, "link", "show", "lo"), StringComparison.Ordinal);
        }

        NetworkNamespace.Delete(name);
        before = NamespaceWorker.Completed;
        using (NetworkNamespace anonymous = NetworkNamespace.CreateAnonymous(out RtnetlinkClient inside))
        using (inside)
        {
            Assert.Equal(1, NamespaceWorker.Completed - before);
            Assert.Equal("lo", Assert.Single(inside.ListLinks()).Name);
            using RtnetlinkClient again = anonymous.OpenRtnetlink();
            Assert.Equal(2, NamespaceWorker.Completed - before);
        }
    }

    [Fact]
    public void FailuresInsideANamespaceLeaveNoThreadBehind()
    {
        Privileged.Require();
        string original = NsTool.ReadLink("/proc/self/ns/net");
        using (NetworkNamespace ns = NetworkNamespace.CreateAnonymous())
        {
            var thrown = new InvalidOperationException("inside");
            Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => ns.Run([MethodImpl(MethodImplOptions.AggressiveOptimization)] () => throw thrown)));
            Assert.Equal("ENOENT", Assert.Throws<LinuxSyscallException>(() => ns.ReadSysctl("net.ipv4.conf.nosuch0.forwarding")).ErrorName);
        }

        foreach (NamedNamespaceFault fault in new[] { NamedNamespaceFault.BindMount, NamedNamespaceFault.OpenAfterMount })
        {
            Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(NsTool.UniqueName("rulefault"), fault));
        }

        AssertEveryThreadIn(original);
    }

    [Fact]
    public void TheCheckDetectsAThreadLeftInAnotherNamespace()
    {
        Privileged.Require();
        string original = NsTool.ReadLink("/proc/self/ns/net");
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int tid = 0;
        int unshareResult = -1;

        // What a bug would look like: a thread that unshares its network namespace and stays there.
        var stray = new Thread(() =>
        {
            tid = Interop.gettid();
            unshareResult = Interop.unshare(Interop.CLONE_NEWNET);
            entered.Set();
            release.Wait();
        });
        stray.Start();
        entered.Wait();
        try
        {
            Assert.Equal(0, unshareResult);
            var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertEveryThreadIn(original));
            Assert.Contains(tid.ToString(System.Globalization.CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
            stray.Join();
            for (int i = 0; i < 500 && Directory.Exists($"/proc/self/task/{tid}"); i++)
            {
                Thread.Sleep(10);
            }
        }

        AssertEveryThreadIn(original);
    }

    [Fact]
    public void NoNamespaceFileOrMountOfThisProcessIsLeftBehind()
    {
        // Runs after the parallel tests (this collection runs alone, last): every test removed what it made.
        string mine = $"-{Environment.ProcessId}-";
        Assert.DoesNotContain(NsTool.IpNetnsList(), n => n.StartsWith("lxi-ns-", StringComparison.Ordinal) && n.Contains(mine, StringComparison.Ordinal));
        Assert.DoesNotContain(NsTool.MountPoints(), p => p.StartsWith("/run/netns/lxi-ns-", StringComparison.Ordinal) && p.Contains(mine, StringComparison.Ordinal));
        Assert.DoesNotContain(NsTool.MountPoints(), p => p.Contains("/lxi-ns-persist-", StringComparison.Ordinal));
    }

    /// <summary>The process's namespaces (<c>/proc/self/ns/*</c>), by kind.</summary>
    internal static Dictionary<string, string> ProcessNamespaces()
    {
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string link in Directory.EnumerateFileSystemEntries("/proc/self/ns"))
        {
            kinds[Path.GetFileName(link)] = NsTool.ReadLink(link);
        }

        return kinds;
    }

    /// <summary>Every task of this process is in the namespaces of <paramref name="expected"/>, kind by kind (<c>/proc/self/task/*/ns/*</c>).</summary>
    internal static void AssertEveryTaskIn(Dictionary<string, string> expected)
    {
        var strays = new List<string>();
        int checkedTasks = 0;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            bool seen = false;
            foreach ((string kind, string ns) in expected)
            {
                string? link;
                try
                {
                    link = new FileInfo(Path.Combine(task, "ns", kind)).LinkTarget;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    break; // the task ended meanwhile
                }

                if (string.IsNullOrEmpty(link))
                {
                    break; // exiting
                }

                seen = true;
                if (link != ns)
                {
                    strays.Add($"{Path.GetFileName(task)} {kind}: {link}");
                }
            }

            checkedTasks += seen ? 1 : 0;
        }

        Assert.True(checkedTasks > 1, "no tasks were found in /proc/self/task");
        Assert.True(strays.Count == 0, "tasks outside the process's namespaces: " + string.Join(", ", strays));
    }

    /// <summary>Every thread of this process (<c>/proc/self/task/*/ns/net</c>) is in <paramref name="expected"/>.</summary>
    internal static void AssertEveryThreadIn(string expected)
    {
        var strays = new List<string>();
        int checkedThreads = 0;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string? link;
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                link = new FileInfo(Path.Combine(task, "ns/net")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended meanwhile
            }

            if (string.IsNullOrEmpty(link))
            {
                continue; // the thread is exiting: its namespaces are already released (a dedicated thread after Join)
            }

            checkedThreads++;
            if (link != expected)
            {
                strays.Add($"{Path.GetFileName(task)} ({comm}): {link}");
            }
        }

        Assert.True(checkedThreads > 1, "no threads were found in /proc/self/task");
        Assert.True(strays.Count == 0, $"threads outside {expected}: {string.Join(", ", strays)}");
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
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
    public async Task ThousandConcurrentOperationsLeaveEveryThreadInTheOriginalNetworkNamespace()
    {
        Privileged.Require();
        string original = NsTool.ReadLink("/proc/self/ns/net");
        Assert.Equal(original, NsTool.ReadLink("/proc/thread-self/ns/net"));

        var namespaces = new NetworkNamespace[NamespaceCount];
        var names = new List<string>();
        int completed = 0;
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

            Task[] work = Enumerable.Range(0, Operations).Select(i => Task.Run(() =>
            {
                NetworkNamespace ns = namespaces[i % NamespaceCount];
                switch (i % 6)
                {
                    case 0:
                        Assert.Equal(ns.Id.Inode, ns.Run(() => NsTool.InodeOf("/proc/thread-self/ns/net")));
                        break;
                    case 1:
                        using (RtnetlinkClient client = ns.OpenRtnetlink())
                        {
                            Assert.Equal("lo", Assert.Single(client.ListLinks()).Name);
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
                    default:
                        ns.WriteSysctl("net.ipv4.conf.lo.rp_filter", "0");
                        break;
                }

                Interlocked.Increment(ref completed);
            })).ToArray();
            await Task.WhenAll(work);
            Assert.Equal(Operations, completed);

            AssertEveryThreadIn(original);
        }
        finally
        {
            foreach (NetworkNamespace? ns in namespaces)
            {
                ns?.Dispose();
            }

            foreach (string name in names)
            {
                NetworkNamespace.Delete(name);
            }
        }

        Assert.Empty(NetworkNamespace.List().Intersect(names));
    }

    [Fact]
    public void FailuresInsideANamespaceLeaveNoThreadBehind()
    {
        Privileged.Require();
        string original = NsTool.ReadLink("/proc/self/ns/net");
        using (NetworkNamespace ns = NetworkNamespace.CreateAnonymous())
        {
            Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));
            Assert.Equal("ENOENT", Assert.Throws<LinuxSyscallException>(() => ns.ReadSysctl("net.ipv4.conf.nosuch0.forwarding")).ErrorName);
        }

        foreach (NamedNamespaceFault fault in new[] { NamedNamespaceFault.BindMount, NamedNamespaceFault.OpenAfterMount })
        {
            Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(NsTool.UniqueName("rulefault"), fault));
        }

        AssertEveryThreadIn(original);
    }

    /// <summary>Every thread of this process (<c>/proc/self/task/*/ns/net</c>) is in <paramref name="expected"/>.</summary>
    internal static void AssertEveryThreadIn(string expected)
    {
        var strays = new List<string>();
        int checkedThreads = 0;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string link;
            string comm;
            try
            {
                link = NsTool.ReadLink(Path.Combine(task, "ns/net"));
                comm = File.ReadAllText(Path.Combine(task, "comm")).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended meanwhile
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

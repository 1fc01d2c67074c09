using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Runs alone (no other test class in parallel), so every thread of the process can be inspected.</summary>
[CollectionDefinition(nameof(ThreadRuleCollection), DisableParallelization = true)]
public sealed class ThreadRuleCollection
{
}

/// <summary>
/// Privileged: the only rtnetlink operation that enters a namespace (tun/tap creation for a client bound
/// elsewhere) leaves every thread of the process in its original network namespace.
/// </summary>
[Collection(nameof(ThreadRuleCollection))]
public class ThreadRuleTests
{
    private static string[] ThreadNamespaces() =>
        Directory.GetDirectories("/proc/self/task")
            .Select(task => { try { return new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget; } catch (IOException) { return null; } })
            .Where(link => link is not null)
            .Select(link => link!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public async Task ConcurrentTunTapCreationsLeaveEveryThreadInTheOriginalNamespace()
    {
        string original = new FileInfo("/proc/self/ns/net").LinkTarget!;
        Assert.Equal(new[] { original }, ThreadNamespaces());

        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link[] created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => client.CreateTunTap($"tr{i}", i % 2 == 0 ? TunTapMode.Tap : TunTapMode.Tun))));

        Assert.Equal(40, created.Select(l => l.Index).Distinct().Count());
        Assert.Equal(41, ns.IpJson("link show").GetArrayLength());
        Assert.Equal(new[] { original }, ThreadNamespaces());
    }
}

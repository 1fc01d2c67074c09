using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Privileged: traffic control against the kernel as the CNI bandwidth plugin uses it (tbf on a veth; an ifb with an
/// ingress qdisc and a mirred redirect), each test in its own namespaces, checked with <c>tc -s -j</c> and with real
/// traffic between two namespaces.
/// </summary>
public class TrafficControlTests
{
    private static void Blast(TwoNamespaceWorld world, TestNetworkNamespace from, IPAddress source, IPAddress destination, int count)
    {
        using Socket sender = TwoNamespaceWorld.Udp(from, source, 0);
        byte[] payload = new byte[1400];
        for (int i = 0; i < count; i++)
        {
            sender.SendTo(payload, new IPEndPoint(destination, 9));
        }
    }

    [Fact]
    public void TokenBucketShapesEgressAndIsListedReplacedAndDeleted()
    {
        using TwoNamespaceWorld world = TwoNamespaceWorld.Create();
        RtnetlinkClient client = world.ClientA;
        int eth = world.EthA.Index;

        // tc qdisc add dev eth0 root handle 1: tbf rate 1mbit burst 16kb latency 20ms
        var bucket = new TokenBucket { RateBytesPerSecond = 125_000, BurstBytes = 16_384, Latency = TimeSpan.FromMilliseconds(20) };
        client.AddTokenBucket(eth, bucket);
        JsonElement tbf = world.TcJson(world.A, "qdisc show dev eth0")[0];
        Assert.Equal("tbf", tbf.GetProperty("kind").GetString());
        Assert.Equal("1:", tbf.GetProperty("handle").GetString());
        Assert.True(tbf.GetProperty("root").GetBoolean());
        Assert.Equal(125_000, tbf.GetProperty("options").GetProperty("rate").GetInt64());
        Assert.Equal(16_384, tbf.GetProperty("options").GetProperty("burst").GetInt64());
        NetlinkException exists = Assert.Throws<NetlinkException>(() => client.AddTokenBucket(eth, bucket));
        Assert.Equal(Errno.EEXIST, exists.Errno);

        // 300 datagrams of 1400 bytes at once: far more than 16 KiB of burst plus 20 ms at 1 Mbit/s, so the bucket
        // holds some back (overlimits) and drops what does not fit its limit.
        Blast(world, world.A, TwoNamespaceWorld.AddressA, TwoNamespaceWorld.AddressB, 300);
        Qdisc listed = Assert.Single(client.ListQdiscs(eth));
        JsonElement stats = world.TcJson(world.A, "qdisc show dev eth0")[0];
        Assert.Equal("tbf", listed.Kind);
        Assert.Equal(bucket.RateBytesPerSecond, listed.TokenBucket!.RateBytesPerSecond);
        Assert.Equal(bucket.BurstBytes, listed.TokenBucket.BurstBytes);
        Assert.True(stats.GetProperty("drops").GetInt64() > 0, stats.ToString());
        Assert.True(stats.GetProperty("overlimits").GetInt64() > 0, stats.ToString());
        Assert.True(listed.Statistics!.Value.Drops > 0);
        Assert.True(listed.Statistics.Value.Overlimits > 0);
        Assert.InRange(listed.Statistics.Value.Packets, 1ul, 299ul);

        // tc qdisc replace ... rate 8mbit
        client.ReplaceTokenBucket(eth, bucket with { RateBytesPerSecond = 1_000_000 });
        Assert.Equal(1_000_000, world.TcJson(world.A, "qdisc show dev eth0")[0].GetProperty("options").GetProperty("rate").GetInt64());

        client.DeleteRootQdisc(eth);
        Assert.DoesNotContain(world.TcJson(world.A, "qdisc show dev eth0").EnumerateArray(), q => q.GetProperty("kind").GetString() == "tbf");
        Assert.DoesNotContain(client.ListQdiscs(eth), q => q.Kind == "tbf");
        NetlinkException none = Assert.Throws<NetlinkException>(() => client.DeleteRootQdisc(eth));
        Assert.Contains(none.Errno, new[] { Errno.ENOENT, Errno.EINVAL });
    }

    [Fact]
    public void IngressIsRedirectedToAnIfbThatShapesIt()
    {
        using TwoNamespaceWorld world = TwoNamespaceWorld.Create();
        RtnetlinkClient client = world.ClientA;
        int eth = world.EthA.Index;

        // ip link add ifb0 type ifb; tc qdisc add dev ifb0 root handle 1: tbf ...; tc qdisc add dev eth0 ingress;
        // tc filter add dev eth0 parent ffff: protocol all prio 1 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev ifb0
        Link ifb = client.CreateIfb("ifb0");
        Assert.Equal("ifb", ifb.Kind);
        client.SetLinkUp(ifb.Index);
        client.AddTokenBucket(ifb.Index, new TokenBucket { RateBytesPerSecond = 125_000, BurstBytes = 16_384, Latency = TimeSpan.FromMilliseconds(20) });
        client.AddIngressQdisc(eth);
        client.AddRedirectFilter(eth, ifb.Index);

        JsonElement ingress = world.TcJson(world.A, "qdisc show dev eth0").EnumerateArray().Single(q => q.GetProperty("kind").GetString() == "ingress");
        Assert.Equal("ffff:", ingress.GetProperty("handle").GetString());
        JsonElement match = world.TcJson(world.A, "filter show dev eth0 parent ffff:").EnumerateArray().Single(f => f.TryGetProperty("options", out JsonElement o) && o.TryGetProperty("actions", out _));
        JsonElement action = match.GetProperty("options").GetProperty("actions")[0];
        Assert.Equal("mirred", action.GetProperty("kind").GetString());
        Assert.Equal("redirect", action.GetProperty("mirred_action").GetString());
        Assert.Equal("egress", action.GetProperty("direction").GetString());
        Assert.Equal("ifb0", action.GetProperty("to_dev").GetString());
        Assert.Equal("1:1", match.GetProperty("options").GetProperty("flowid").GetString());

        NetlinkDumpResult<TrafficFilter> filters = client.ListFilters(eth);
        Assert.False(filters.Interrupted);
        TrafficFilter redirect = Assert.Single(filters, f => f.Actions.Count > 0);
        Assert.Equal(ifb.Index, redirect.Actions[0].TargetIndex);
        Assert.Equal(MirredAction.EgressRedirect, redirect.Actions[0].Mirred);

        // What B sends to A arrives on eth0, is redirected to ifb0 and leaves it through its tbf, which holds back and drops.
        Blast(world, world.B, TwoNamespaceWorld.AddressB, TwoNamespaceWorld.AddressA, 300);
        JsonElement shaped = world.TcJson(world.A, "qdisc show dev ifb0")[0];
        Assert.Equal("tbf", shaped.GetProperty("kind").GetString());
        Assert.True(shaped.GetProperty("packets").GetInt64() > 0, shaped.ToString());
        Assert.True(shaped.GetProperty("drops").GetInt64() > 0, shaped.ToString());
        Qdisc listed = Assert.Single(client.ListQdiscs(ifb.Index));
        Assert.True(listed.Statistics!.Value.Packets > 0);

        client.DeleteFilters(eth);
        Assert.Empty(client.ListFilters(eth));
        Assert.Equal(0, world.TcJson(world.A, "filter show dev eth0 parent ffff:").GetArrayLength());
        client.DeleteIngressQdisc(eth);
        Assert.DoesNotContain(world.TcJson(world.A, "qdisc show dev eth0").EnumerateArray(), q => q.GetProperty("kind").GetString() == "ingress");
        NetlinkException noParent = Assert.Throws<NetlinkException>(() => client.AddRedirectFilter(eth, ifb.Index));
        Assert.Contains(noParent.Errno, new[] { Errno.EINVAL, Errno.ENOENT });
    }
}

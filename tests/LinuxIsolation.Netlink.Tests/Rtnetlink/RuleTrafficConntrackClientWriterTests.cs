using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Conntrack;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;
using static LinuxIsolation.Netlink.Tests.FakeNetlinkTransport;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Against a fake kernel that acknowledges: the rule, traffic control and conntrack calls send exactly the bytes of the
/// public writers the golden tests check (one writer per message), through the one request helper, whatever the size
/// (a tbf with a peak rate needs more than the stack buffer).
/// </summary>
public class RuleTrafficConntrackClientWriterTests
{
    private delegate void Write(ref NetlinkWriter writer);

    private static void Check(byte[] sent, Write write)
    {
        byte[] buffer = new byte[TrafficControlMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        write(ref writer);
        byte[] written = buffer.AsSpan(0, writer.Length).ToArray();
        BitConverter.TryWriteBytes(written.AsSpan(8), SequenceAt(sent));
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(sent));
    }

    [Fact]
    public void RulesAndTrafficControl()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        var rule = new RoutingRule { Source = IPNetwork.Parse("10.2.0.0/16"), FirewallMark = 0x10, FirewallMask = 0xff, InputInterface = "veth0", Table = 300, Priority = 1001 };
        var bucket = new TokenBucket { RateBytesPerSecond = 5_000_000_000, BurstBytes = 1 << 20, Latency = TimeSpan.FromMilliseconds(1) };
        var peaked = new TokenBucket { RateBytesPerSecond = 125_000, BurstBytes = 32_768, Latency = TimeSpan.FromMilliseconds(25), PeakRateBytesPerSecond = 250_000, MinimumBurstBytes = 1600 };
        TrafficControlHandle one = TrafficControlHandle.Create(1, 0);

        client.AddRule(rule);
        client.DeleteRule(new RoutingRule { Priority = 1001 });
        client.AddTokenBucket(3, bucket);
        client.ReplaceTokenBucket(5, peaked);
        client.AddIngressQdisc(3);
        client.AddRedirectFilter(3, 7);
        client.DeleteFilters(3, priority: 1, protocol: EtherTypes.All);
        client.DeleteIngressQdisc(3);
        client.DeleteRootQdisc(3);

        Check(t.Sent[0], (ref NetlinkWriter w) => RuleMessages.WriteAdd(ref w, rule));
        Check(t.Sent[1], (ref NetlinkWriter w) => RuleMessages.WriteDelete(ref w, new RoutingRule { Priority = 1001 }));
        Check(t.Sent[2], (ref NetlinkWriter w) => TrafficControlMessages.WriteAddTokenBucket(ref w, 3, bucket, one, TrafficControlHandle.Root));
        Check(t.Sent[3], (ref NetlinkWriter w) => TrafficControlMessages.WriteAddTokenBucket(ref w, 5, peaked, one, TrafficControlHandle.Root, replace: true));
        Check(t.Sent[4], (ref NetlinkWriter w) => TrafficControlMessages.WriteAddIngress(ref w, 3));
        Check(t.Sent[5], (ref NetlinkWriter w) => TrafficControlMessages.WriteAddRedirectFilter(ref w, 3, TrafficControlHandle.IngressQdisc, 1, EtherTypes.All, TrafficControlHandle.Create(1, 1), MirredAction.EgressRedirect, 7));
        Check(t.Sent[6], (ref NetlinkWriter w) => TrafficControlMessages.WriteDeleteFilters(ref w, 3, TrafficControlHandle.IngressQdisc, 1, EtherTypes.All));
        Check(t.Sent[7], (ref NetlinkWriter w) => TrafficControlMessages.WriteDeleteIngress(ref w, 3));
        Check(t.Sent[8], (ref NetlinkWriter w) => TrafficControlMessages.WriteDeleteQdisc(ref w, 3, TrafficControlHandle.Root));
    }

    [Fact]
    public void ConntrackGetDeleteAndFlushWithTheirErrors()
    {
        ConntrackTuple missing = ConntrackTuple.Udp(IPAddress.Parse("10.9.0.1"), 40009, IPAddress.Parse("10.9.0.2"), 53);
        int requests = 0;
        using NetlinkSocket socket = Socket(sent =>
        {
            // The fake kernel knows no entry: the get and the delete by tuple (the first two requests) are ENOENT; a
            // flush, filtered or not, is acknowledged (the kernel's answer even when nothing matched).
            return new[] { requests++ < 2 ? Kernel.Error(sent, 0, (int)Errno.ENOENT) : Kernel.Ack(sent) };
        }, out FakeNetlinkTransport t, protocol: NetlinkProtocol.Netfilter);
        using var client = new ConntrackClient(socket, ownsSocket: false);

        Assert.Null(client.GetEntry(missing));
        Assert.False(client.DeleteEntry(missing, zone: 7));
        client.Flush(AddressFamily.InterNetworkV6);
        Assert.Null(client.Flush(ConntrackFilter.ForPublishedPort(ProtocolType.Udp, 53, family: AddressFamily.InterNetwork)));

        Check(t.Sent[0], (ref NetlinkWriter w) => ConntrackMessages.WriteGet(ref w, missing));
        Check(t.Sent[1], (ref NetlinkWriter w) => ConntrackMessages.WriteDelete(ref w, missing, 7));
        Check(t.Sent[2], (ref NetlinkWriter w) => ConntrackMessages.WriteFlush(ref w, AddressFamily.InterNetworkV6));
        Check(t.Sent[3], (ref NetlinkWriter w) => ConntrackMessages.WriteFlush(ref w, ConntrackFilter.ForPublishedPort(ProtocolType.Udp, 53, family: AddressFamily.InterNetwork)));
    }
}

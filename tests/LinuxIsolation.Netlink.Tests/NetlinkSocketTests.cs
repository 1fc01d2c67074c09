using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>Privileged: the socket against the real kernel, each test in its own network namespace.</summary>
public class NetlinkSocketTests
{
    [Fact]
    public void LinkDumpListsExactlyWhatIpShows()
    {
        using var ns = TestNetworkNamespace.Create();
        ns.Exec("ip link add br0 type bridge");
        ns.Exec("ip link add va type veth peer name vb");
        ns.Exec("ip link set va master br0");
        ns.Exec("ip link set lo up");

        IReadOnlyList<Link> links = ns.Inside(() =>
        {
            using RtnetlinkClient client = RtnetlinkClient.Open();
            return client.ListLinks();
        });

        using JsonDocument json = JsonDocument.Parse(ns.Exec("ip -j -d link show"));
        var expected = json.RootElement.EnumerateArray().Select(e => (
            Index: e.GetProperty("ifindex").GetInt32(),
            Name: e.GetProperty("ifname").GetString(),
            Mtu: e.GetProperty("mtu").GetUInt32(),
            Mac: e.TryGetProperty("address", out JsonElement a) ? a.GetString() : null,
            Kind: e.TryGetProperty("linkinfo", out JsonElement li) && li.TryGetProperty("info_kind", out JsonElement k) ? k.GetString() : null,
            Master: e.TryGetProperty("master", out JsonElement m) ? m.GetString() : null,
            Up: e.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"))).OrderBy(x => x.Index).ToList();

        Dictionary<int, string> names = links.ToDictionary(l => l.Index, l => l.Name);
        var actual = links.Select(l => (
            l.Index,
            Name: (string?)l.Name,
            Mtu: l.Mtu ?? 0,
            Mac: l.Address is null ? null : string.Join(':', l.Address.GetAddressBytes().Select(b => b.ToString("x2"))),
            l.Kind,
            Master: l.MasterIndex is int mi ? names[mi] : null,
            Up: l.IsUp)).OrderBy(x => x.Index).ToList();

        Assert.Equal(expected, actual);
        Assert.Equal(4, actual.Count);
    }

    [Fact]
    public void GetLinkByNameAndIndexAskTheKernel()
    {
        using var ns = TestNetworkNamespace.Create();
        ns.Exec("ip link add br7 type bridge");
        (Link byName, Link byIndex) = ns.Inside(() =>
        {
            using RtnetlinkClient client = RtnetlinkClient.Open();
            Link n = client.GetLink("br7");
            return (n, client.GetLink(n.Index));
        });

        Assert.Equal("br7", byName.Name);
        Assert.Equal("bridge", byName.Kind);
        Assert.Equal(1500u, byName.Mtu);
        Assert.Equal(byName, byIndex);
    }

    [Fact]
    public void GetMissingLinkThrowsEnodev()
    {
        using var ns = TestNetworkNamespace.Create();
        NetlinkException error = ns.Inside(() =>
        {
            using RtnetlinkClient client = RtnetlinkClient.Open();
            return Assert.Throws<NetlinkException>(() => client.GetLink("nosuchdev"));
        });

        Assert.Equal(Errno.ENODEV, error.Errno);
        Assert.Equal("ENODEV", error.ErrorName);
        Assert.Equal("RTM_GETLINK nosuchdev", error.Operation);
        Assert.Contains("No such device", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KernelTextAndOffendingAttributeReachTheException()
    {
        // IFLA_MTU is a u32; sent as a u16 the kernel's policy check rejects it and points at it.
        using var ns = TestNetworkNamespace.Create();
        NetlinkException error = ns.Inside(() =>
        {
            using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route);
            byte[] buffer = new byte[128];
            var writer = new NetlinkWriter(buffer);
            NetlinkMessageToken m = writer.BeginMessage(Rtm.RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
            writer.WriteHeader(new IfInfoMsg { ifi_index = 1 });
            writer.WriteString(Ifla.IFLA_IFALIAS, "loopback");
            writer.WriteUInt16(Ifla.IFLA_MTU, 1400);
            writer.EndMessage(m);
            byte[] request = buffer.AsSpan(0, writer.Length).ToArray();
            return Assert.Throws<NetlinkException>(() => socket.Request(request, "RTM_NEWLINK lo mtu", LinkMessages.FamilyHeaderSize));
        });

        Assert.Equal(Errno.ERANGE, error.Errno);
        Assert.Equal("RTM_NEWLINK lo mtu", error.Operation);
        Assert.Equal("Attribute failed policy validation", error.KernelMessage);
        Assert.Equal(48, error.ErrorOffset); // nlmsghdr 16 + ifinfomsg 16 + IFLA_IFALIAS (4 + "loopback\0" = 13, padded to 16)
        Assert.Equal(new ushort[] { Ifla.IFLA_MTU }, error.AttributePath);
        Assert.Equal("RTM_NEWLINK lo mtu: Numerical result out of range (ERANGE): Attribute failed policy validation [attribute 4]", error.Message);
    }

    [Fact]
    public void PipelinedRequestsReportEachFailureForItsOwnRequest()
    {
        using var ns = TestNetworkNamespace.Create();
        (int failures, NetlinkResult[] results, int links) = ns.Inside(() =>
        {
            using NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route);
            byte[] buffer = new byte[4096];
            var writer = new NetlinkWriter(buffer);
            LinkMessages.WriteCreateVeth(ref writer, "p0", "q0");
            LinkMessages.WriteCreateVeth(ref writer, "p0", "q9"); // EEXIST: p0 was just made
            LinkMessages.WriteCreateVeth(ref writer, "p1", "q1");
            var results = new NetlinkResult[3];
            int failures = socket.RequestMany(buffer.AsSpan(0, writer.Length), results, LinkMessages.FamilyHeaderSize);
            using var client = new RtnetlinkClient(socket, ownsSocket: false);
            return (failures, results, client.ListLinks().Count);
        });

        Assert.Equal(1, failures);
        Assert.True(results[0].Succeeded);
        Assert.Equal(Errno.EEXIST, results[1].Error!.Errno);
        Assert.True(results[2].Succeeded);
        Assert.Equal(results[0].Sequence + 1, results[1].Sequence);
        Assert.Equal(5, links); // lo, p0, q0, p1, q1
    }

    [Fact]
    public void DisposeUnblocksAPendingEventReceive()
    {
        using var ns = TestNetworkNamespace.Create();
        NetlinkSocket socket = ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route));
        socket.JoinGroup(Rtnlgrp.RTNLGRP_LINK);
        Exception? thrown = null;
        var receiver = new Thread(() =>
        {
            try
            {
                socket.ReceiveEvents();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        });
        receiver.Start();
        Thread.Sleep(200);
        socket.Dispose();
        Assert.True(receiver.Join(TimeSpan.FromSeconds(10)));
        Assert.IsType<ObjectDisposedException>(thrown);
    }

    [Fact]
    public void EventsArriveForJoinedGroups()
    {
        using var ns = TestNetworkNamespace.Create();
        using NetlinkSocket socket = ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route));
        socket.JoinGroup(Rtnlgrp.RTNLGRP_LINK);
        ns.Exec("ip link add evbr type bridge");
        string? seen = null;
        for (int i = 0; i < 20 && seen is null; i++)
        {
            foreach (NetlinkMessage message in socket.ReceiveEvents(5000))
            {
                if (LinkMessages.TryReadIndexAndName(message, out _, out ReadOnlySpan<byte> name))
                {
                    seen = System.Text.Encoding.UTF8.GetString(name);
                }
            }
        }

        Assert.Equal("evbr", seen);
    }

    [Fact]
    public void ConcurrentExchangeOnOneSocketIsRefused()
    {
        using var ns = TestNetworkNamespace.Create();
        using NetlinkSocket socket = ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route));
        byte[] buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteDump(ref writer);
        int length = writer.Length;
        NetlinkReplyReader replies = socket.Exchange(buffer.AsSpan(0, length));
        try
        {
            Assert.Throws<InvalidOperationException>(() => socket.Request(buffer.AsSpan(0, length)));
        }
        finally
        {
            replies.Dispose();
        }

        // Released: the abandoned dump was drained, so the next dump is accepted.
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        Assert.Single(client.ListLinks());
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;
using static LinuxIsolation.Netlink.Tests.FakeNetlinkTransport;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// The calls addressed by interface name: unprivileged, the bytes of the name writers (ifindex 0 and IFLA_IFNAME, the
/// kernel's lookup by name) and that the client sends them; privileged, each in its own namespace, checked with <c>ip -j -d</c>.
/// </summary>
public class ByNameTests
{
    private delegate void Write(ref NetlinkWriter writer);

    [Fact]
    public void NameWritersAddressTheLinkByIfnameWithIndexZero()
    {
        // RTM_NEWLINK (16), NLM_F_REQUEST|NLM_F_ACK (5), ifinfomsg with ifi_index 0, ifi_flags IFF_UP, ifi_change IFF_UP,
        // then IFLA_IFNAME (3) "br0\0" (len 8).
        byte[] up = Bytes((ref NetlinkWriter w) => LinkMessages.WriteSetUp(ref w, "br0", up: true));
        Assert.Equal(
            "28000000" + "1000" + "0500" + "00000000" + "00000000"
            + "00" + "00" + "0000" + "00000000" + "01000000" + "01000000"
            + "0800" + "0300" + "62723000",
            Convert.ToHexString(up));

        // The same with IFLA_MTU (4) after the name.
        byte[] mtu = Bytes((ref NetlinkWriter w) => LinkMessages.WriteSetMtu(ref w, "br0", 1400));
        Assert.Equal(
            "30000000" + "1000" + "0500" + "00000000" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000"
            + "0800" + "0300" + "62723000" + "0800" + "0400" + "78050000",
            Convert.ToHexString(mtu));

        // IFLA_MASTER (10) 0: nomaster.
        byte[] nomaster = Bytes((ref NetlinkWriter w) => LinkMessages.WriteSetMaster(ref w, "br0", 0));
        Assert.EndsWith("0800" + "0300" + "62723000" + "0800" + "0A00" + "00000000", Convert.ToHexString(nomaster), StringComparison.Ordinal);
    }

    [Fact]
    public void TheClientSendsTheNameWritersBytes()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        client.SetLinkUp("veth0");
        client.SetLinkDown("veth0");
        client.SetLinkMtu("veth0", 9000);
        client.RemoveLinkMaster("veth0");
        client.MoveLinkToNamespace("veth0", NetworkNamespaceTarget.FromProcess(1234));

        Check(t.Sent[0], (ref NetlinkWriter w) => LinkMessages.WriteSetUp(ref w, "veth0", up: true));
        Check(t.Sent[1], (ref NetlinkWriter w) => LinkMessages.WriteSetUp(ref w, "veth0", up: false));
        Check(t.Sent[2], (ref NetlinkWriter w) => LinkMessages.WriteSetMtu(ref w, "veth0", 9000));
        Check(t.Sent[3], (ref NetlinkWriter w) => LinkMessages.WriteSetMaster(ref w, "veth0", 0));
        Check(t.Sent[4], (ref NetlinkWriter w) => LinkMessages.WriteSetNamespace(ref w, "veth0", NetworkNamespaceTarget.FromProcess(1234)));
        Assert.Equal(5, t.Sent.Count);
    }

    [Fact]
    public void BadNamesAreRefusedBeforeAnythingIsSent()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        Assert.Throws<ArgumentException>(() => client.SetLinkUp("a/b"));
        Assert.Throws<ArgumentException>(() => client.SetLinkMtu("0123456789abcdef", 1500));
        Assert.Throws<ArgumentException>(() => client.TryGetLink("", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SetLinkMtu("eth0", 0));
        Assert.Throws<ArgumentException>(() => client.MoveLinkToNamespace("eth0", default(NetworkNamespaceTarget)));
        Assert.Throws<ArgumentException>(() => client.AddAddress("eth0", IPAddress.Parse("10.0.0.1"), 33));
        Assert.Empty(t.Sent);
    }

    [Fact]
    public void LinksAreChangedByName()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        VethPair pair = client.CreateVethPair("va", "vb");
        Assert.Equal("va", pair.End.Name);
        Assert.Equal("vb", pair.Peer.Name);
        Assert.Equal(pair.End.Index, pair.Peer.LinkIndex);
        Assert.Equal(pair.Peer.Index, pair.End.LinkIndex);
        client.CreateBridge("br0");

        client.SetLinkMtu("va", 1400);
        client.SetLinkAddress("va", PhysicalAddress.Parse("02-00-00-00-00-0A"));
        client.SetLinkAlias("va", "by-name");
        client.SetLinkMaster("va", "br0");
        client.SetLinkUp("br0");
        client.SetLinkUp("va");
        // A change by name on a link that is up does not rename it (the kernel renames only when an index is given).
        client.SetLinkMtu("va", 1300);

        JsonElement va = ns.IpJson("link show dev va")[0];
        Assert.Equal(1300, va.GetProperty("mtu").GetInt32());
        Assert.Equal("02:00:00:00:00:0a", va.GetProperty("address").GetString());
        Assert.Equal("by-name", va.GetProperty("ifalias").GetString());
        Assert.Equal("br0", va.GetProperty("master").GetString());
        Assert.Contains("UP", va.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        client.RemoveLinkMaster("va");
        client.SetLinkDown("va");
        client.SetLinkName("va", "vc");
        JsonElement vc = ns.IpJson("link show dev vc")[0];
        Assert.False(vc.TryGetProperty("master", out _));
        Assert.DoesNotContain("UP", vc.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        client.AddAddress("vc", IPAddress.Parse("10.77.0.1"), 24);
        client.AddAddress("vc", IPAddress.Parse("fd00:77::1"), 64, new AddressOptions { Flags = AddressFlags.NoDad });
        string[] addresses = ns.IpJson("addr show dev vc")[0].GetProperty("addr_info").EnumerateArray()
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").ToArray();
        Assert.Contains("10.77.0.1/24", addresses);
        Assert.Contains("fd00:77::1/64", addresses);
        client.ReplaceAddress("vc", IPAddress.Parse("10.77.0.1"), 24);
        client.DeleteAddress("vc", IPAddress.Parse("10.77.0.1"), 24);
        Assert.DoesNotContain(ns.IpJson("addr show dev vc")[0].GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.77.0.1");
    }

    [Fact]
    public void TryGetLinkSaysWhetherTheLinkExists()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Assert.True(client.TryGetLink("lo", out Link? lo));
        Assert.Equal("lo", lo.Name);
        Assert.True(client.TryGetLink(lo.Index, out Link? byIndex));
        Assert.Equal("lo", byIndex.Name);
        Assert.False(client.TryGetLink("nosuch0", out Link? missing));
        Assert.Null(missing);
        Assert.False(client.TryGetLink(987654, out _));

        NetlinkException e = Assert.Throws<NetlinkException>(() => client.SetLinkUp("nosuch0"));
        Assert.Equal(Errno.ENODEV, e.Errno);
        Assert.Throws<NetlinkException>(() => client.SetLinkMaster("lo", "nosuch0"));
    }

    [Fact]
    public void ALinkIsMovedByName()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        client.CreateVethPair("m1", "m2");
        using (var handle = b.OpenHandle())
        {
            client.MoveLinkToNamespace("m2", handle);
        }

        Assert.False(client.TryGetLink("m2", out _));
        Assert.Equal("m2", b.IpJson("link show dev m2")[0].GetProperty("ifname").GetString());
    }

    [Fact]
    public void AVethIsCreatedUpAndInItsBridge()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        Link br0 = client.CreateBridge("br0");
        using var handle = b.OpenHandle();
        Link h1 = client.CreateVeth("h1", "eth0", handle, new VethCreateOptions { MasterIndex = br0.Index, Up = true });
        Assert.Equal("h1", h1.Name);
        Assert.Equal(br0.Index, client.GetLink("h1").MasterIndex);
        JsonElement shown = a.IpJson("link show dev h1")[0];
        Assert.Equal("br0", shown.GetProperty("master").GetString());
        Assert.Contains("UP", shown.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("veth", b.IpJson("link show dev eth0")[0].GetProperty("linkinfo").GetProperty("info_kind").GetString());

        NetlinkException e = Assert.Throws<NetlinkException>(() => client.CreateVeth("h2", "p2", default, new VethCreateOptions { MasterIndex = 999999 }));
        Assert.Equal(Errno.EINVAL, e.Errno); // do_set_master: no device with that index

        Assert.False(client.TryGetLink("h2", out _));
    }

    [Fact]
    public void TheWritersTakeASequenceNumberAndTheNestedFlagFromTheWriter()
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer) { Sequence = 0x01020304, SetNestedFlag = true };
        LinkMessages.WriteCreateVeth(ref writer, "veth0", "eth0");
        LinkMessages.WriteSetUp(ref writer, "veth0", up: true);
        var reader = new NetlinkReader(writer.WrittenSpan);
        Assert.True(reader.MoveNext());
        NetlinkMessage create = reader.Current;
        Assert.True(reader.MoveNext());
        NetlinkMessage up = reader.Current;
        Assert.Equal(0x01020304u, create.Sequence);
        Assert.Equal(0x01020304u, up.Sequence);
        // IFLA_LINKINFO (18), IFLA_INFO_DATA (2) and VETH_INFO_PEER (1) carry NLA_F_NESTED (0x8000), as libmnl writes them.
        Assert.True(create.GetAttributes(LinkMessages.FamilyHeaderSize).TryFind(18, out NetlinkAttribute info));
        Assert.True(info.IsNested);
        Assert.True(info.GetNested().TryFind(2, out NetlinkAttribute data));
        Assert.True(data.IsNested);
        Assert.True(data.GetNested().TryFind(1, out NetlinkAttribute peer));
        Assert.True(peer.IsNested);

        // Without them: sequence 0 and iproute2's plain nests.
        var plain = new NetlinkWriter(buffer);
        LinkMessages.WriteCreateVeth(ref plain, "veth0", "eth0");
        var again = new NetlinkReader(plain.WrittenSpan);
        Assert.True(again.MoveNext());
        NetlinkMessage m = again.Current;
        Assert.Equal(0u, m.Sequence);
        Assert.True(m.GetAttributes(LinkMessages.FamilyHeaderSize).TryFind(18, out NetlinkAttribute plainInfo));
        Assert.False(plainInfo.IsNested);
    }

    [Fact]
    public void TheKernelTakesTheNestedFlag()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer) { SetNestedFlag = true };
        LinkMessages.WriteCreateVeth(ref writer, "nf0", "nf1");
        var results = new NetlinkResult[1];
        Assert.Equal(0, client.Socket.RequestMany(writer.WrittenSpan, results));
        Assert.True(client.TryGetLink("nf1", out Link? peer));
        Assert.Equal("veth", peer.Kind);
    }

    private static byte[] Bytes(Write write)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        write(ref writer);
        return buffer.AsSpan(0, writer.Length).ToArray();
    }

    private static void Check(byte[] sent, Write write)
    {
        byte[] written = Bytes(write);
        BitConverter.TryWriteBytes(written.AsSpan(8), SequenceAt(sent));
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(sent));
    }
}

using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: link operations against the kernel, each test in its own namespaces, checked with <c>ip -j -d link</c>.</summary>
public class LinkTests
{
    private static JsonElement Show(TestNetworkNamespace ns, string name)
    {
        JsonElement links = ns.IpJson($"link show dev {name}");
        Assert.Equal(1, links.GetArrayLength());
        return links[0];
    }

    private static string[] Names(TestNetworkNamespace ns) =>
        ns.IpJson("link show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    [Fact]
    public void VethPeerIsCreatedDirectlyInTheNamespaceGivenByHandle()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        using var handle = b.OpenHandle();

        Link va = client.CreateVeth("va", "vb", handle);

        Assert.Equal("va", va.Name);
        Assert.Equal("veth", va.Kind);
        Assert.NotNull(va.LinkNetNsId);
        JsonElement shownA = Show(a, "va");
        Assert.Equal(va.Index, shownA.GetProperty("ifindex").GetInt32());
        Assert.Equal("veth", shownA.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        JsonElement shownB = Show(b, "vb");
        Assert.Equal("veth", shownB.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal(va.LinkIndex, shownB.GetProperty("ifindex").GetInt32());
        Assert.Equal(new[] { "lo", "va" }, Names(a));
    }

    [Fact]
    public void VethPeerByRawDescriptorAndByPid()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        using (var handle = b.OpenHandle())
        {
            client.CreateVeth("v1", "p1", NetworkNamespaceTarget.FromFileDescriptor((int)handle.DangerousGetHandle()));
        }

        using var sleeper = Process.Start(new ProcessStartInfo("ip", $"netns exec {b.Name} sleep 60"))!;
        try
        {
            // ip netns exec execs sleep in place: the pid is inside b once /proc shows sleep.
            for (int i = 0; i < 200 && !System.IO.File.ReadAllText($"/proc/{sleeper.Id}/comm").StartsWith("sleep", StringComparison.Ordinal); i++)
            {
                System.Threading.Thread.Sleep(10);
            }

            client.CreateVeth("v2", "p2", NetworkNamespaceTarget.FromProcess(sleeper.Id));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }

        Assert.Equal(new[] { "lo", "p1", "p2" }, Names(b));
        Assert.Equal(new[] { "lo", "v1", "v2" }, Names(a));
    }

    [Fact]
    public void VethInOneNamespaceWhenNoPeerNamespaceIsGiven()
    {
        using var a = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        Link x = client.CreateVeth("x0", "x1");
        Link peer = client.GetLink("x1");
        Assert.Equal(peer.Index, x.LinkIndex);
        Assert.Equal(x.Index, peer.LinkIndex);
        Assert.Equal(Show(a, "x1").GetProperty("ifindex").GetInt32(), peer.Index);
    }

    [Fact]
    public void VethWhosePeerCannotBePlacedLeavesNoHalfBehind()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        b.Exec("ip link add taken type bridge");
        using RtnetlinkClient client = a.OpenClient();
        using var handle = b.OpenHandle();

        NetlinkException error = Assert.Throws<NetlinkException>(() => client.CreateVeth("half", "taken", handle));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("RTM_NEWLINK veth half/taken (taken in netns handle)", error.Operation);
        Assert.Equal(new[] { "lo" }, Names(a));
        Assert.Equal(new[] { "lo", "taken" }, Names(b));
        Assert.Equal("bridge", Show(b, "taken").GetProperty("linkinfo").GetProperty("info_kind").GetString());
    }

    [Fact]
    public void BridgePortsStateMtuAddressNameAliasAndDelete()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link bridge = client.CreateBridge("br0");
        Link port = client.CreateVeth("p0", "p0peer");
        Assert.Equal("bridge", bridge.Kind);

        client.SetLinkMaster(port.Index, bridge.Index);
        Assert.Equal("br0", Show(ns, "p0").GetProperty("master").GetString());
        Assert.Equal("bridge", client.GetLink(port.Index).SlaveKind);
        client.SetBridgePortHairpin(port.Index, on: true);
        Assert.True(Show(ns, "p0").GetProperty("linkinfo").GetProperty("info_slave_data").GetProperty("hairpin").GetBoolean());
        client.SetBridgePortHairpin(port.Index, on: false);
        Assert.False(Show(ns, "p0").GetProperty("linkinfo").GetProperty("info_slave_data").GetProperty("hairpin").GetBoolean());
        client.RemoveLinkMaster(port.Index);
        // Not a bridge port any more: the kernel refuses port options.
        Assert.Throws<NetlinkException>(() => client.SetBridgePortHairpin(port.Index, on: true));
        Assert.False(Show(ns, "p0").TryGetProperty("master", out _));
        Assert.Null(client.GetLink(port.Index).MasterIndex);

        client.SetLinkMtu(port.Index, 1400);
        Assert.Equal(1400, Show(ns, "p0").GetProperty("mtu").GetInt32());
        client.SetLinkAddress(port.Index, PhysicalAddress.Parse("02-00-00-00-00-04"));
        Assert.Equal("02:00:00:00:00:04", Show(ns, "p0").GetProperty("address").GetString());
        client.SetLinkAlias(port.Index, "uplink of c4");
        Assert.Equal("uplink of c4", Show(ns, "p0").GetProperty("ifalias").GetString());
        Assert.Equal("uplink of c4", client.GetLink(port.Index).Alias);
        client.SetLinkName(port.Index, "renamed0");
        Assert.Equal(port.Index, Show(ns, "renamed0").GetProperty("ifindex").GetInt32());

        client.SetLinkUp(bridge.Index);
        Assert.Contains("UP", Show(ns, "br0").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(client.GetLink(bridge.Index).IsUp);
        client.SetLinkDown(bridge.Index);
        Assert.DoesNotContain("UP", Show(ns, "br0").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        client.DeleteLink(bridge.Index);
        client.DeleteLink("renamed0");
        Assert.Equal(new[] { "lo" }, Names(ns));
    }

    [Fact]
    public void MacvlanOnAParent()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link parent = client.CreateVeth("parent0", "parent1");
        Link mv = client.CreateMacvlan("mv0", parent.Index, MacvlanMode.Private);

        Assert.Equal("macvlan", mv.Kind);
        Assert.Equal(parent.Index, mv.LinkIndex);
        JsonElement shown = Show(ns, "mv0");
        Assert.Equal("macvlan", shown.GetProperty("linkinfo").GetProperty("info_kind").GetString());
        Assert.Equal("private", shown.GetProperty("linkinfo").GetProperty("info_data").GetProperty("mode").GetString());
        Assert.Equal("parent0", shown.GetProperty("link").GetString());
    }

    [Fact]
    public void VxlanWithRemoteLocalPortAndDevice()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link dev = client.CreateVeth("under0", "under1");
        Link vx = client.CreateVxlan("vx0", new VxlanOptions
        {
            Id = 4242,
            Port = 4789,
            Remote = IPAddress.Parse("10.201.0.9"),
            Local = IPAddress.Parse("10.201.0.4"),
            DeviceIndex = dev.Index,
            Ttl = 9,
        });

        Assert.Equal("vxlan", vx.Kind);
        JsonElement data = Show(ns, "vx0").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(4242, data.GetProperty("id").GetInt32());
        Assert.Equal(4789, data.GetProperty("port").GetInt32());
        Assert.Equal("10.201.0.9", data.GetProperty("remote").GetString());
        Assert.Equal("10.201.0.4", data.GetProperty("local").GetString());
        Assert.Equal("under0", data.GetProperty("link").GetString());
        Assert.Equal(9, data.GetProperty("ttl").GetInt32());
    }

    [Fact]
    public void MoveLinkToAnotherNamespaceByHandleAndByPid()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient client = a.OpenClient();
        Link m0 = client.CreateVeth("m0", "m1");
        using (var handle = b.OpenHandle())
        {
            client.MoveLinkToNamespace(client.GetLink("m1").Index, handle);
        }

        Assert.Equal(new[] { "lo", "m0" }, Names(a));
        Assert.Equal(new[] { "lo", "m1" }, Names(b));
        Assert.NotNull(client.GetLink(m0.Index).LinkNetNsId);

        using var sleeper = Process.Start(new ProcessStartInfo("ip", $"netns exec {b.Name} sleep 60"))!;
        try
        {
            for (int i = 0; i < 200 && !System.IO.File.ReadAllText($"/proc/{sleeper.Id}/comm").StartsWith("sleep", StringComparison.Ordinal); i++)
            {
                System.Threading.Thread.Sleep(10);
            }

            client.MoveLinkToNamespace(m0.Index, NetworkNamespaceTarget.FromProcess(sleeper.Id));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }

        Assert.Equal(new[] { "lo" }, Names(a));
        Assert.Equal(new[] { "lo", "m0", "m1" }, Names(b));
    }
}

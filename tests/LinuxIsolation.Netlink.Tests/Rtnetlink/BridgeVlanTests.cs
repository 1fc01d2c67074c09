using System.Linq;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Privileged: a bridge's promiscuous flag, VLAN filtering and port VLANs against the kernel, each test in its own
/// namespace, checked with <c>ip -j -d link</c> and <c>bridge -j vlan</c>.
/// </summary>
public class BridgeVlanTests
{
    [Fact]
    public void PromiscuousFlagIsSetAndClearedAsIpShowsIt()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link bridge = client.CreateBridge("br0");

        client.SetLinkPromiscuous(bridge.Index, on: true);
        JsonElement shown = ns.IpJson("-d link show dev br0")[0];
        Assert.Contains("PROMISC", shown.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, shown.GetProperty("promiscuity").GetInt32());
        Assert.True((client.GetLink(bridge.Index).Flags & LinkFlags.Promiscuous) != 0);

        client.SetLinkPromiscuous(bridge.Index, on: false);
        shown = ns.IpJson("-d link show dev br0")[0];
        Assert.DoesNotContain("PROMISC", shown.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, shown.GetProperty("promiscuity").GetInt32());

        NetlinkException e = Assert.Throws<NetlinkException>(() => client.SetLinkPromiscuous(999_999, on: true));
        Assert.Equal(Errno.ENODEV, e.Errno);
    }

    [Fact]
    public void VlanFilteringAndAnUntaggedPvidPortVlanAreWhatBridgeVlanShowsOrTheKernelsRefusalIsReported()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link bridge = client.CreateBridge("br0");
        Link port = client.CreateVeth("p0", "p0peer");
        client.SetLinkMaster(port.Index, bridge.Index);

        // Does this kernel filter VLANs on bridges (CONFIG_BRIDGE_VLAN_FILTERING)? iproute2 is the independent judge.
        bool supported = ns.ExecStatus("ip link set dev br0 type bridge vlan_filtering 1") == 0;
        if (supported)
        {
            Assert.Equal(0, ns.ExecStatus("ip link set dev br0 type bridge vlan_filtering 0"));
        }

        if (!supported)
        {
            // This kernel (6.18 here) is built without it: every request is refused with EOPNOTSUPP, named in the exception.
            NetlinkException filtering = Assert.Throws<NetlinkException>(() => client.SetBridgeVlanFiltering(bridge.Index, on: true));
            Assert.Equal(Errno.EOPNOTSUPP, filtering.Errno);
            Assert.Equal($"RTM_NEWLINK index {bridge.Index} type bridge vlan_filtering 1", filtering.Operation);
            NetlinkException add = Assert.Throws<NetlinkException>(() => client.AddBridgeVlan(port.Index, 10, BridgeVlanFlags.Pvid | BridgeVlanFlags.Untagged));
            Assert.Equal(Errno.EOPNOTSUPP, add.Errno);
            Assert.Equal($"RTM_SETLINK AF_BRIDGE index {port.Index} vlan add vid 10 pvid untagged", add.Operation);
            Assert.Equal(0, ns.IpJson("-d link show dev br0")[0].GetProperty("linkinfo").GetProperty("info_data").GetProperty("vlan_filtering").GetInt32());
            return;
        }

        client.SetBridgeVlanFiltering(bridge.Index, on: true);
        Assert.Equal(1, ns.IpJson("-d link show dev br0")[0].GetProperty("linkinfo").GetProperty("info_data").GetProperty("vlan_filtering").GetInt32());
        client.AddBridgeVlan(port.Index, 10, BridgeVlanFlags.Pvid | BridgeVlanFlags.Untagged);
        client.AddBridgeVlan(bridge.Index, 10, BridgeVlanFlags.Untagged, self: true);
        client.DeleteBridgeVlan(port.Index, 1);
        using JsonDocument vlans = JsonDocument.Parse(ns.Exec("bridge -j vlan show"));
        JsonElement p0 = vlans.RootElement.EnumerateArray().Single(v => v.GetProperty("ifname").GetString() == "p0");
        JsonElement only = Assert.Single(p0.GetProperty("vlans").EnumerateArray());
        Assert.Equal(10, only.GetProperty("vlan").GetInt32());
        Assert.Equal(["PVID", "Egress Untagged"], only.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        JsonElement br0 = vlans.RootElement.EnumerateArray().Single(v => v.GetProperty("ifname").GetString() == "br0");
        Assert.Contains(br0.GetProperty("vlans").EnumerateArray(), v => v.GetProperty("vlan").GetInt32() == 10);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4095)]
    public void AVlanIdOutsideOneTo4094IsRefusedBeforeAnythingIsSent(int vid)
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Assert.Throws<System.ArgumentOutOfRangeException>(() => client.AddBridgeVlan(1, (ushort)vid));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => client.DeleteBridgeVlan(1, (ushort)vid));
    }
}

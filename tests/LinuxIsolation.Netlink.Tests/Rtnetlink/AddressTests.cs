using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: addresses against the kernel, checked with <c>ip -j addr show</c>.</summary>
public class AddressTests
{
    private static (string Local, int Prefix, string? Broadcast, string? Label, string Scope)[] Shown(TestNetworkNamespace ns, string dev, string family) =>
        ns.IpJson($"{family} addr show dev {dev}").EnumerateArray().SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Select(a => (a.GetProperty("local").GetString()!, a.GetProperty("prefixlen").GetInt32(),
                a.TryGetProperty("broadcast", out JsonElement b) ? b.GetString() : null,
                a.TryGetProperty("label", out JsonElement l) ? l.GetString() : null,
                a.GetProperty("scope").GetString()!))
            .ToArray();

    [Fact]
    public void AddListReplaceAndDeleteIPv4AndIPv6()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link eth = client.CreateVeth("eth0", "eth0peer");
        Link other = client.GetLink("eth0peer");

        client.AddAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24, new AddressOptions { Broadcast = IPAddress.Parse("10.201.0.255"), Label = "eth0:c4" });
        client.AddAddress(eth.Index, IPAddress.Parse("fd00::4"), 64, new AddressOptions { Flags = AddressFlags.NoDad });
        client.AddAddress(other.Index, IPAddress.Parse("10.201.0.5"), 24);

        Assert.Equal(new[] { ("10.201.0.4", 24, (string?)"10.201.0.255", (string?)"eth0:c4", "global") }, Shown(ns, "eth0", "-4"));
        Assert.Equal(new[] { ("fd00::4", 64, (string?)null, (string?)null, "global") }, Shown(ns, "eth0", "-6"));

        var v4 = client.ListAddresses(eth.Index, AddressFamily.InterNetwork);
        InterfaceAddress a = Assert.Single(v4);
        Assert.Equal(IPAddress.Parse("10.201.0.4"), a.Address);
        Assert.Equal(24, a.PrefixLength);
        Assert.Equal(IPAddress.Parse("10.201.0.255"), a.Broadcast);
        Assert.Equal("eth0:c4", a.Label);
        Assert.Equal(RouteScope.Universe, a.Scope);
        Assert.Equal(IPNetwork.Parse("10.201.0.0/24"), a.Network);
        Assert.Equal(uint.MaxValue, a.ValidLifetime);

        InterfaceAddress b = Assert.Single(client.ListAddresses(eth.Index, AddressFamily.InterNetworkV6), x => !x.Address.IsIPv6LinkLocal);
        Assert.True(b.Flags.HasFlag(AddressFlags.NoDad));
        Assert.True(b.Flags.HasFlag(AddressFlags.Permanent));

        // Unfiltered: every address of every link, as ip -j addr show has them.
        int shownTotal = ns.IpJson("addr show").EnumerateArray().Sum(l => l.GetProperty("addr_info").GetArrayLength());
        Assert.Equal(shownTotal, client.ListAddresses().Count);
        Assert.Single(client.ListAddresses(other.Index, AddressFamily.InterNetwork));

        // Replace: no EEXIST for an address that is there, and creation of one that is not.
        client.ReplaceAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);
        client.ReplaceAddress(eth.Index, IPAddress.Parse("10.201.0.6"), 24);
        Assert.Equal(new[] { "10.201.0.4", "10.201.0.6" }, Shown(ns, "eth0", "-4").Select(x => x.Local).ToArray());
        client.DeleteAddress(eth.Index, IPAddress.Parse("10.201.0.6"), 24);

        client.DeleteAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);
        client.DeleteAddress(eth.Index, IPAddress.Parse("fd00::4"), 64);
        Assert.Empty(Shown(ns, "eth0", "-4"));
        Assert.DoesNotContain(Shown(ns, "eth0", "-6"), x => x.Local == "fd00::4");
    }

    [Fact]
    public void LoopbackAddressGetsHostScopeLikeIproute2()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link lo = client.GetLink("lo");
        client.AddAddress(lo.Index, IPAddress.Parse("127.0.0.2"), 8);
        Assert.Contains(("127.0.0.2", 8, (string?)null, (string?)"lo", "host"), Shown(ns, "lo", "-4").Select(x => (x.Local, x.Prefix, x.Broadcast, x.Label, x.Scope)));
    }

    [Fact]
    public void KernelRefusalsForAddresses()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link eth = client.CreateVeth("e0", "e1");
        client.AddAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);

        NetlinkException exists = Assert.Throws<NetlinkException>(() => client.AddAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24));
        Assert.Equal(Errno.EEXIST, exists.Errno);
        Assert.Equal($"RTM_NEWADDR 10.201.0.4/24 dev {eth.Index}", exists.Operation);

        NetlinkException missing = Assert.Throws<NetlinkException>(() => client.DeleteAddress(eth.Index, IPAddress.Parse("10.201.0.9"), 24));
        Assert.Equal(Errno.EADDRNOTAVAIL, missing.Errno);

        NetlinkException nodev = Assert.Throws<NetlinkException>(() => client.AddAddress(9999, IPAddress.Parse("10.201.0.4"), 24));
        Assert.Equal(Errno.ENODEV, nodev.Errno);
        Assert.False(string.IsNullOrEmpty(nodev.KernelMessage));
    }
}

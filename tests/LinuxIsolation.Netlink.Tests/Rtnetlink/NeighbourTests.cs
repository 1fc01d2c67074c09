using System;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: neighbour entries against the kernel, checked with <c>ip -j neigh show</c>.</summary>
public class NeighbourTests
{
    [Fact]
    public void AddListAndDeletePermanentEntries()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link eth = client.CreateVeth("eth0", "eth0peer");
        Link other = client.GetLink("eth0peer");
        var mac = PhysicalAddress.Parse("02-00-00-00-00-09");
        client.AddNeighbour(eth.Index, IPAddress.Parse("10.201.0.9"), mac);
        client.AddNeighbour(eth.Index, IPAddress.Parse("fd00::9"), mac);
        client.AddNeighbour(other.Index, IPAddress.Parse("10.201.0.8"), PhysicalAddress.Parse("02-00-00-00-00-08"));

        var shown = ns.IpJson("neigh show dev eth0").EnumerateArray()
            .Select(n => (n.GetProperty("dst").GetString()!, n.GetProperty("lladdr").GetString()!, n.GetProperty("state")[0].GetString()!))
            .OrderBy(x => x.Item1, StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { ("10.201.0.9", "02:00:00:00:00:09", "PERMANENT"), ("fd00::9", "02:00:00:00:00:09", "PERMANENT") }, shown);

        var listed = client.ListNeighbours(eth.Index).OrderBy(n => n.Destination.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { new Neighbour(eth.Index, IPAddress.Parse("10.201.0.9"), mac, NeighbourState.Permanent, NeighbourFlags.None),
                             new Neighbour(eth.Index, IPAddress.Parse("fd00::9"), mac, NeighbourState.Permanent, NeighbourFlags.None) },
            listed, new NeighbourComparer());
        Assert.Single(client.ListNeighbours(eth.Index, AddressFamily.InterNetworkV6));
        Assert.Equal(3, client.ListNeighbours().Count);

        NetlinkException exists = Assert.Throws<NetlinkException>(() => client.AddNeighbour(eth.Index, IPAddress.Parse("10.201.0.9"), mac));
        Assert.Equal(Errno.EEXIST, exists.Errno);
        client.ReplaceNeighbour(eth.Index, IPAddress.Parse("10.201.0.9"), PhysicalAddress.Parse("02-00-00-00-00-0a"));
        Assert.Equal("02:00:00:00:00:0a", ns.IpJson("neigh show 10.201.0.9 dev eth0")[0].GetProperty("lladdr").GetString());

        client.DeleteNeighbour(eth.Index, IPAddress.Parse("10.201.0.9"));
        client.DeleteNeighbour(eth.Index, IPAddress.Parse("fd00::9"));
        Assert.Equal(0, ns.IpJson("neigh show dev eth0").GetArrayLength());
        NetlinkException missing = Assert.Throws<NetlinkException>(() => client.DeleteNeighbour(eth.Index, IPAddress.Parse("10.201.0.9")));
        Assert.Equal(Errno.ENOENT, missing.Errno);
        Assert.Equal($"RTM_DELNEIGH 10.201.0.9 dev {eth.Index}", missing.Operation);
    }

    private sealed class NeighbourComparer : System.Collections.Generic.IEqualityComparer<Neighbour>
    {
        public bool Equals(Neighbour? x, Neighbour? y) =>
            x is not null && y is not null && x.LinkIndex == y.LinkIndex && x.Destination.Equals(y.Destination) && x.State == y.State
            && x.Flags == y.Flags && Equals(x.LinkLayerAddress, y.LinkLayerAddress);

        public int GetHashCode(Neighbour obj) => obj.LinkIndex;
    }
}

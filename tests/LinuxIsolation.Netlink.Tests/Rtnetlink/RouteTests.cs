using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: routes against the kernel, checked with <c>ip -j -d route show</c>.</summary>
public class RouteTests
{
    /// <summary>A namespace with a veth end eth0 (up, carrier from its up peer) holding 10.201.0.4/24 and fd00::4/64.</summary>
    private static (TestNetworkNamespace Ns, RtnetlinkClient Client, Link Eth) Setup()
    {
        var ns = TestNetworkNamespace.Create();
        RtnetlinkClient client = ns.OpenClient();
        Link eth = client.CreateVeth("eth0", "eth0peer");
        client.SetLinkUp(eth.Index);
        client.SetLinkUp(client.GetLink("eth0peer").Index);
        client.AddAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);
        client.AddAddress(eth.Index, IPAddress.Parse("fd00::4"), 64, new AddressOptions { Flags = AddressFlags.NoDad });
        return (ns, client, eth);
    }

    [Fact]
    public void AddListReplaceAndDeleteRoutesInATableAbove255()
    {
        (TestNetworkNamespace ns, RtnetlinkClient client, Link eth) = Setup();
        using (ns)
        using (client)
        {
            var route = new Route
            {
                Destination = IPNetwork.Parse("10.50.0.0/16"),
                Gateway = IPAddress.Parse("10.201.0.1"),
                OutputIndex = eth.Index,
                Metric = 7,
                Table = 300,
                Protocol = RouteProtocol.Static,
                PreferredSource = IPAddress.Parse("10.201.0.4"),
            };
            client.AddRoute(route);

            JsonElement shown = Assert.Single(ns.IpJson("route show table 300").EnumerateArray());
            Assert.Equal("10.50.0.0/16", shown.GetProperty("dst").GetString());
            Assert.Equal("10.201.0.1", shown.GetProperty("gateway").GetString());
            Assert.Equal("eth0", shown.GetProperty("dev").GetString());
            Assert.Equal(7, shown.GetProperty("metric").GetInt32());
            Assert.Equal("static", shown.GetProperty("protocol").GetString());
            Assert.Equal("10.201.0.4", shown.GetProperty("prefsrc").GetString());

            Route listed = Assert.Single(client.ListRoutes(AddressFamily.InterNetwork, table: 300));
            Assert.Equal(route with { Scope = RouteScope.Universe, Type = RouteType.Unicast }, listed);

            NetlinkException exists = Assert.Throws<NetlinkException>(() => client.AddRoute(route));
            Assert.Equal(Errno.EEXIST, exists.Errno);
            client.ReplaceRoute(route with { Gateway = IPAddress.Parse("10.201.0.2") });
            Assert.Equal("10.201.0.2", Assert.Single(ns.IpJson("route show table 300").EnumerateArray()).GetProperty("gateway").GetString());

            client.DeleteRoute(new Route { Destination = route.Destination, Table = 300 });
            Assert.Equal(0, ns.IpJson("route show table 300").GetArrayLength());
            NetlinkException gone = Assert.Throws<NetlinkException>(() => client.DeleteRoute(new Route { Destination = route.Destination, Table = 300 }));
            Assert.Equal(Errno.ESRCH, gone.Errno);
        }
    }

    [Fact]
    public void DefaultRoutesDirectRoutesAndScopeLikeIproute2()
    {
        (TestNetworkNamespace ns, RtnetlinkClient client, Link eth) = Setup();
        using (ns)
        using (client)
        {
            client.AddRoute(Route.DefaultVia(IPAddress.Parse("10.201.0.1")));
            client.AddRoute(Route.DefaultVia(IPAddress.Parse("fd00::1"), eth.Index));
            client.AddRoute(new Route { Destination = IPNetwork.Parse("10.77.0.0/24"), OutputIndex = eth.Index });

            JsonElement v4Default = ns.IpJson("-4 route show default")[0];
            Assert.Equal("10.201.0.1", v4Default.GetProperty("gateway").GetString());
            Assert.Equal("boot", v4Default.GetProperty("protocol").GetString());
            JsonElement v6Default = ns.IpJson("-6 route show default")[0];
            Assert.Equal("fd00::1", v6Default.GetProperty("gateway").GetString());
            JsonElement direct = ns.IpJson("-4 route show 10.77.0.0/24")[0];
            Assert.Equal("link", direct.GetProperty("scope").GetString());

            var v4 = client.ListRoutes(AddressFamily.InterNetwork);
            Assert.Equal(ns.IpJson("-4 route show").GetArrayLength(), v4.Count);
            Route def = Assert.Single(v4, r => r.IsDefault);
            Assert.Equal(IPAddress.Parse("10.201.0.1"), def.Gateway);
            Assert.Equal(eth.Index, def.OutputIndex);
            Assert.Equal(RouteScope.Link, Assert.Single(v4, r => r.Destination == IPNetwork.Parse("10.77.0.0/24")).Scope);
            Assert.Equal(RouteProtocol.Kernel, Assert.Single(v4, r => r.Destination == IPNetwork.Parse("10.201.0.0/24")).Protocol);

            Route def6 = Assert.Single(client.ListRoutes(AddressFamily.InterNetworkV6), r => r.IsDefault);
            Assert.Equal(IPAddress.Parse("fd00::1"), def6.Gateway);
            Assert.Equal(1024u, def6.Metric);

            // Every table: the local table's routes come too.
            Assert.Contains(client.ListRoutes(AddressFamily.InterNetwork, table: 0), r => r.Table == 255 && r.Type == RouteType.Local);

            client.DeleteRoute(Route.DefaultVia(IPAddress.Parse("10.201.0.1")));
            Assert.Equal(0, ns.IpJson("-4 route show default").GetArrayLength());
        }
    }

    [Fact]
    public void MultipathRoute()
    {
        (TestNetworkNamespace ns, RtnetlinkClient client, Link eth) = Setup();
        using (ns)
        using (client)
        {
            client.AddRoute(new Route
            {
                Destination = IPNetwork.Parse("10.60.0.0/16"),
                NextHops = [new RouteNextHop(IPAddress.Parse("10.201.0.1"), eth.Index, 2), new RouteNextHop(IPAddress.Parse("10.201.0.2"), eth.Index, 1)],
            });

            JsonElement hops = ns.IpJson("route show 10.60.0.0/16")[0].GetProperty("nexthops");
            Assert.Equal(new[] { ("10.201.0.1", 2), ("10.201.0.2", 1) },
                hops.EnumerateArray().Select(h => (h.GetProperty("gateway").GetString()!, h.GetProperty("weight").GetInt32())).ToArray());

            Route listed = Assert.Single(client.ListRoutes(AddressFamily.InterNetwork), r => r.Destination == IPNetwork.Parse("10.60.0.0/16"));
            Assert.Equal(new[] { new RouteNextHop(IPAddress.Parse("10.201.0.1"), eth.Index, 2), new RouteNextHop(IPAddress.Parse("10.201.0.2"), eth.Index, 1) }, listed.NextHops);
        }
    }

    [Fact]
    public void BlackholeRoute()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        client.AddRoute(new Route { Destination = IPNetwork.Parse("192.0.2.0/24"), Type = RouteType.Blackhole });
        Assert.Equal("blackhole", ns.IpJson("route show 192.0.2.0/24")[0].GetProperty("type").GetString());
        Assert.Equal(RouteType.Blackhole, Assert.Single(client.ListRoutes(AddressFamily.InterNetwork)).Type);
    }
}

using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: policy routing rules against the kernel, each test in its own namespace, checked with <c>ip -j rule show</c>.</summary>
public class RuleTests
{
    private static JsonElement ByPriority(JsonElement rules, uint priority) =>
        rules.EnumerateArray().Single(r => r.GetProperty("priority").GetUInt32() == priority);

    [Fact]
    public void AddListAndDeleteRulesOfEverySelector()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        client.CreateVeth("veth0", "veth1");
        var selectors = new RoutingRule
        {
            Source = IPNetwork.Parse("10.2.0.0/16"), Destination = IPNetwork.Parse("192.168.0.0/16"), FirewallMark = 0x10, FirewallMask = 0xff,
            InputInterface = "veth0", OutputInterface = "veth1", Table = 300, Priority = 1001,
        };
        client.AddRule(selectors);
        client.AddRule(new RoutingRule { Destination = IPNetwork.Parse("10.3.0.0/24"), Table = 254, SuppressPrefixLength = 0, Priority = 1002 });
        client.AddRule(new RoutingRule { Source = IPNetwork.Parse("10.4.0.1/32"), Action = RoutingRuleAction.Blackhole, Priority = 1003 });
        client.AddRule(new RoutingRule { Invert = true, Source = IPNetwork.Parse("10.7.0.0/16"), Table = 100, Priority = 1007, Protocol = RouteProtocol.Static });
        client.AddRule(new RoutingRule { Source = IPNetwork.Parse("fd00::/64"), Table = 200, Priority = 1006 });

        JsonElement shown = ns.IpJson("rule show");
        JsonElement s = ByPriority(shown, 1001);
        Assert.Equal("10.2.0.0", s.GetProperty("src").GetString());
        Assert.Equal(16, s.GetProperty("srclen").GetInt32());
        Assert.Equal("192.168.0.0", s.GetProperty("dst").GetString());
        Assert.Equal("0x10", s.GetProperty("fwmark").GetString());
        Assert.Equal("0xff", s.GetProperty("fwmask").GetString());
        Assert.Equal("veth0", s.GetProperty("iif").GetString());
        Assert.Equal("veth1", s.GetProperty("oif").GetString());
        Assert.Equal("300", s.GetProperty("table").GetString());
        JsonElement suppress = ByPriority(shown, 1002);
        Assert.Equal("main", suppress.GetProperty("table").GetString());
        Assert.Equal(0, suppress.GetProperty("suppress_prefixlen").GetInt32());
        Assert.Equal("blackhole", ByPriority(shown, 1003).GetProperty("action").GetString());
        JsonElement not = ByPriority(shown, 1007);
        Assert.True(not.TryGetProperty("not", out _));
        Assert.Equal("static", not.GetProperty("protocol").GetString());
        JsonElement v6 = ByPriority(ns.IpJson("-6 rule show"), 1006);
        Assert.Equal("fd00::", v6.GetProperty("src").GetString());
        Assert.Equal("200", v6.GetProperty("table").GetString());

        // The list is what ip shows: the kernel's three defaults and ours, in priority order.
        NetlinkDumpResult<RoutingRule> listed = client.ListRules();
        Assert.False(listed.Interrupted);
        Assert.Equal(1, listed.Attempts);
        Assert.Equal(shown.EnumerateArray().Select(r => r.GetProperty("priority").GetUInt32()), listed.Select(r => r.Priority!.Value));
        RoutingRule back = listed.Single(r => r.Priority == 1001);
        Assert.Equal(selectors with { Family = AddressFamily.InterNetwork, Action = RoutingRuleAction.ToTable, Protocol = back.Protocol }, back);
        Assert.Equal(0u, listed[0].Priority);
        Assert.Equal(255u, listed[0].Table);
        Assert.Equal(AddressFamily.InterNetworkV6, Assert.Single(client.ListRules(AddressFamily.InterNetworkV6), r => r.Priority == 1006).Family);
        Assert.Equal(client.ListRules(AddressFamily.InterNetwork).Count + client.ListRules(AddressFamily.InterNetworkV6).Count, client.ListRules(AddressFamily.Unspecified).Count);

        NetlinkException exists = Assert.Throws<NetlinkException>(() => client.AddRule(selectors));
        Assert.Equal(Errno.EEXIST, exists.Errno);

        // A priority alone names a rule.
        client.DeleteRule(new RoutingRule { Priority = 1001 });
        client.DeleteRule(new RoutingRule { Priority = 1006, Family = AddressFamily.InterNetworkV6 });
        Assert.DoesNotContain(ns.IpJson("rule show").EnumerateArray(), r => r.GetProperty("priority").GetUInt32() == 1001);
        Assert.DoesNotContain(ns.IpJson("-6 rule show").EnumerateArray(), r => r.GetProperty("priority").GetUInt32() == 1006);
        NetlinkException gone = Assert.Throws<NetlinkException>(() => client.DeleteRule(new RoutingRule { Priority = 1001 }));
        Assert.Equal(Errno.ENOENT, gone.Errno);
    }

    [Fact]
    public void AFirewallMarkRuleSteersTrafficToItsTable()
    {
        // Real routing: a packet marked 0x20 (SO_MARK) is routed by table 400, which sends 10.99.0.0/24 into B over the veth;
        // an unmarked one finds no route.
        using TwoNamespaceWorld world = TwoNamespaceWorld.Create();
        world.ClientA.AddRoute(new Route { Destination = IPNetwork.Parse("10.99.0.0/24"), Gateway = TwoNamespaceWorld.AddressB, OutputIndex = world.EthA.Index, Table = 400 });
        world.ClientA.AddRule(new RoutingRule { FirewallMark = 0x20, Table = 400, Priority = 900 });
        Assert.Equal("400", ByPriority(world.A.IpJson("rule show"), 900).GetProperty("table").GetString());

        JsonElement marked = world.A.IpJson("route get 10.99.0.7 mark 0x20")[0];
        Assert.Equal("eth0", marked.GetProperty("dev").GetString());
        Assert.Equal("10.231.0.2", marked.GetProperty("gateway").GetString());
        Assert.NotEqual(0, world.A.ExecStatus("ip route get 10.99.0.7"));

        world.ClientA.DeleteRule(new RoutingRule { Priority = 900 });
        Assert.NotEqual(0, world.A.ExecStatus("ip route get 10.99.0.7 mark 0x20"));
    }
}

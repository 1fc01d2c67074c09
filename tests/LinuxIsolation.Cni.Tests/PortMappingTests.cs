using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>
/// The <c>portMappings</c> capability of the built lxi-cni: a world of a plugin "host" namespace, containers on its
/// bridge, and an "outside" namespace joined to the host by a veth (192.168.77.2 to the host's 192.168.77.1), as a
/// client on the host's network would be. Checked with <c>nft -j</c>, <c>conntrack</c> and real TCP and UDP.
/// </summary>
public sealed class PortMappingTests
{
    private const string Capability = ""","capabilities":{"portMappings":true}""";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly IPAddress HostOutside = IPAddress.Parse("192.168.77.1");

    private static CniRuntimeConfig Mappings(params CniPortMapping[] m) => new() { PortMappings = m };

    private static CniPortMapping Map(int host, int container, string protocol = "tcp", string? hostIp = null) =>
        new() { HostPort = host, ContainerPort = container, Protocol = protocol, HostIp = hostIp };

    private static CniResult Add(LxiCniWorld w, string id, NetworkNamespace c, CniRuntimeConfig rc)
    {
        (int status, string stdout) = w.Run("ADD", id, c, "eth0", w.List.BuildPluginConfig(0, null, rc));
        Assert.True(status == 0, $"ADD {id} failed: {stdout}");
        return CniResult.Parse(stdout);
    }

    /// <summary>The outside namespace: eth0 192.168.77.2/24 there, its veth peer "out0" 192.168.77.1/24 in the host namespace.</summary>
    private static NetworkNamespace Outside(LxiCniWorld w)
    {
        NetworkNamespace outside = w.NewContainer("o");
        using RtnetlinkClient host = w.Host.OpenRtnetlink();
        VethPeer veth = outside.AddVethPeer(host, new VethPeerOptions
        {
            HostName = "out0",
            PeerName = "eth0",
            PeerAddresses = [new VethAddress(IPAddress.Parse("192.168.77.2"), 24)],
        });
        host.AddAddress(veth.HostIndex, HostOutside, 24);

        // A real host's lo is up; a fresh namespace's is not (the localhost mappings need it).
        host.SetLinkUp(host.GetLink("lo").Index);
        return outside;
    }

    private static string Nft(LxiCniWorld w, params string[] args) =>
        LxiCniWorld.Tool("ip", ["netns", "exec", w.Host.Name!, "nft", "-j", .. args]);

    /// <summary>The attachment's table ("lxi-cni-pm-" + 16 hex digits of SHA-256 of network/id/eth0) if nft lists it, else "".</summary>
    private static string TableOf(LxiCniWorld w, string id)
    {
        string name = "lxi-cni-pm-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{w.Network}/{id}/eth0")))[..16];
        using JsonDocument tables = JsonDocument.Parse(Nft(w, "list", "tables", "ip"));
        if (!tables.RootElement.GetProperty("nftables").EnumerateArray().Any(e => e.TryGetProperty("table", out JsonElement t) && t.GetProperty("name").GetString() == name))
        {
            return "";
        }

        // nft 1.0.6 leaves table comments out of its JSON: the text listing shows the owner comment GC reads.
        Assert.Contains($"comment \"lxi-cni portmap {w.Network} {id} eth0\"", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "table", "ip", name));
        return name;
    }

    /// <summary>Accepts one connection on <paramref name="listener"/> (in the container) and returns the peer's address.</summary>
    private static IPAddress AcceptFrom(Socket listener)
    {
        listener.Blocking = true;
        Assert.True(listener.Poll(Timeout, SelectMode.SelectRead), "no connection reached the container");
        using Socket accepted = listener.Accept();
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
    }

    [Fact]
    public void PublishedTcpPortIsReachableFromOutsideTheContainerItselfAndLocalhostAndDelRemovesIt()
    {
        // hairpinMode, as with the reference plugins: the container's own connection to the host port comes back out of its port.
        using var w = new LxiCniWorld(extraPlugin: Capability + ""","hairpinMode":true""");
        NetworkNamespace outside = Outside(w);
        NetworkNamespace c1 = w.NewContainer("a");
        CniResult r1 = Add(w, "c1", c1, Mappings(Map(8080, 80), Map(8081, 80, hostIp: "192.168.77.1"), Map(8082, 80, hostIp: "fd00::1")));
        Assert.Equal("10.99.0.2", r1.Ips![0].Address.Address.ToString());


        // nft -j: the attachment's table with its comment, the two DNAT rules (the IPv6 host address is skipped, as the
        // reference does for a mapping of the other family), fib daddr type local jumps from prerouting and output.
        string table = TableOf(w, "c1");
        Assert.NotEqual("", table);
        using (JsonDocument doc = JsonDocument.Parse(Nft(w, "list", "table", "ip", table)))
        {
            JsonElement[] rules = doc.RootElement.GetProperty("nftables").EnumerateArray().Where(e => e.TryGetProperty("rule", out _)).Select(e => e.GetProperty("rule")).ToArray();
            JsonElement[] dnat = rules.Where(r => r.GetProperty("chain").GetString() == "hostports").ToArray();
            Assert.Equal(2, dnat.Length);
            Assert.All(dnat, r => Assert.Contains("\"dnat\":{\"addr\":\"10.99.0.2\",\"port\":80}", r.GetProperty("expr").GetRawText().Replace(" ", "", StringComparison.Ordinal)));
            Assert.Contains("\"right\":8081", dnat[1].GetProperty("expr").GetRawText().Replace(" ", "", StringComparison.Ordinal));
            Assert.Contains("\"right\":\"192.168.77.1\"", dnat[1].GetProperty("expr").GetRawText().Replace(" ", "", StringComparison.Ordinal));
            foreach (string chain in new[] { "prerouting", "output" })
            {
                string expr = rules.Single(r => r.GetProperty("chain").GetString() == chain).GetProperty("expr").GetRawText().Replace(" ", "", StringComparison.Ordinal);
                Assert.Contains("\"fib\":{\"result\":\"type\",\"flags\":[\"daddr\"]}", expr);
                Assert.Contains("\"right\":\"local\"", expr);
                Assert.Contains("\"jump\":{\"target\":\"hostports\"}", expr);
            }

            Assert.Equal(2, rules.Count(r => r.GetProperty("chain").GetString() == "postrouting"));
        }

        Assert.Equal("1", w.Host.ReadSysctl($"net.ipv4.conf.{w.Bridge}.route_localnet"));
        using (JsonDocument port = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "-d", "link", "show", r1.Interfaces![1].Name)))
        {
            Assert.True(port.RootElement[0].GetProperty("linkinfo").GetProperty("info_slave_data").GetProperty("hairpin").GetBoolean());
        }

        using (Socket listener = c1.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Any, 80));
            listener.Listen();

            // From outside: the client's own address reaches the container (DNAT only, no masquerade).
            Assert.Equal(ProbeOutcome.Reachable, outside.ConnectTcp(new IPEndPoint(HostOutside, 8080), Timeout).Outcome);
            Assert.Equal(IPAddress.Parse("192.168.77.2"), AcceptFrom(listener));
            Assert.Equal(ProbeOutcome.Reachable, outside.ConnectTcp(new IPEndPoint(HostOutside, 8081), Timeout).Outcome);
            Assert.Equal(IPAddress.Parse("192.168.77.2"), AcceptFrom(listener));

            // Hairpin: the container reaches itself through the host's published port, masqueraded to the bridge's address.
            Assert.Equal(ProbeOutcome.Reachable, c1.ConnectTcp(new IPEndPoint(IPAddress.Parse("10.99.0.1"), 8080), Timeout).Outcome);
            Assert.Equal(IPAddress.Parse("10.99.0.1"), AcceptFrom(listener));

            // Localhost on the host: 127.0.0.1:8080 (output chain), masqueraded too.
            Assert.Equal(ProbeOutcome.Reachable, w.Host.ConnectTcp(new IPEndPoint(IPAddress.Loopback, 8080), Timeout).Outcome);
            Assert.Equal(IPAddress.Parse("10.99.0.1"), AcceptFrom(listener));

            // A mapping bound to one host address does not answer on another: 8081 only on 192.168.77.1.
            Assert.NotEqual(ProbeOutcome.Reachable, w.Host.ConnectTcp(new IPEndPoint(IPAddress.Loopback, 8081), Timeout).Outcome);
        }

        // CHECK passes with the same capability arguments; DEL removes the table, twice is fine; the port is closed.
        byte[] check = w.List.BuildPluginConfig(0, r1, Mappings(Map(8080, 80), Map(8081, 80, hostIp: "192.168.77.1")));
        Assert.Equal((0, ""), w.Run("CHECK", "c1", c1, "eth0", check));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, "eth0", check));
        Assert.Equal("", TableOf(w, "c1"));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, "eth0", check));
        Assert.NotEqual(ProbeOutcome.Reachable, outside.ConnectTcp(new IPEndPoint(HostOutside, 8080), Timeout).Outcome);
    }

    [Fact]
    public void PublishedUdpPortIsReachableAndTheStaleConntrackEntryOfAnEarlierFlowIsFlushed()
    {
        using var w = new LxiCniWorld(extraPlugin: Capability);
        NetworkNamespace outside = Outside(w);
        NetworkNamespace c1 = w.NewContainer("a");

        // A first container without mappings: its masquerade table turns conntrack on in the host namespace.
        Add(w, "c0", w.NewContainer("z"), new CniRuntimeConfig());
        using Socket client = outside.OpenSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Parse("192.168.77.2"), 40000));

        // A flow to the host port before it is published: conntrack holds it untranslated (the reference portmap's
        // stale-entry bug: without a flush, this flow's next datagrams keep that entry and never reach the container).
        client.SendTo("before"u8, new IPEndPoint(HostOutside, 5353));
        string before = LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "conntrack", "-L", "-p", "udp", "--dport", "5353");
        Assert.Contains("sport=40000 dport=5353", before);
        Assert.Contains("src=192.168.77.1 dst=192.168.77.2 sport=5353", before);

        Add(w, "c1", c1, Mappings(Map(5353, 53, "udp")));
        string after = LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "conntrack", "-L", "-p", "udp", "--dport", "5353");
        Assert.DoesNotContain("src=192.168.77.1 dst=192.168.77.2 sport=5353", after);

        using Socket server = c1.OpenSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Any, 53));
        client.SendTo("hello"u8, new IPEndPoint(HostOutside, 5353));
        Assert.True(server.Poll(Timeout, SelectMode.SelectRead), "the datagram did not reach the container");
        byte[] buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = server.ReceiveFrom(buffer, ref from);
        Assert.Equal("hello", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.77.2"), 40000), from);

        // The flow is now translated (the reply tuple comes from the container); DEL flushes it with the table.
        Assert.Contains("src=10.99.0.3 dst=192.168.77.2 sport=53 dport=40000", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "conntrack", "-L", "-p", "udp", "--dport", "5353"));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, "eth0", w.List.BuildPluginConfig(0, null, Mappings(Map(5353, 53, "udp")))));
        Assert.DoesNotContain("dport=5353", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "conntrack", "-L", "-p", "udp", "--dport", "5353"));
    }

    [Fact]
    public void GcRemovesTheTablesOfContainersNoLongerValidAndBadMappingsAreRefusedWithNothingMade()
    {
        using var w = new LxiCniWorld(extraPlugin: Capability);
        NetworkNamespace c1 = w.NewContainer("a");
        NetworkNamespace c2 = w.NewContainer("b");
        Add(w, "c1", c1, Mappings(Map(8080, 80)));
        Add(w, "c2", c2, Mappings(Map(8090, 80)));
        Assert.NotEqual("", TableOf(w, "c2"));

        JsonNode gc = JsonNode.Parse(w.List.BuildPluginConfig(0))!;
        gc["cniVersion"] = "1.1.0";
        gc["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c1", ["ifname"] = "eth0" });
        Assert.Equal((0, ""), w.Run("GC", null, null, null, Encoding.UTF8.GetBytes(gc.ToJsonString())));
        Assert.NotEqual("", TableOf(w, "c1"));
        Assert.Equal("", TableOf(w, "c2"));

        // A port out of range and an unknown protocol: code 7 naming the field; sctp: code 2. The address is released.
        NetworkNamespace c3 = w.NewContainer("c");
        foreach ((CniPortMapping bad, int code, string named) in new[]
        {
            (Map(0, 80), 7, "runtimeConfig.portMappings[0].hostPort"),
            (Map(8080, 70000), 7, "runtimeConfig.portMappings[0].containerPort"),
            (Map(8080, 80, "icmp"), 7, "runtimeConfig.portMappings[0].protocol"),
            (Map(8080, 80, "sctp"), 2, "runtimeConfig.portMappings[0].protocol"),
            (Map(8080, 80, hostIp: "nonsense"), 7, "runtimeConfig.portMappings[0].hostIP"),
        })
        {
            (int status, string stdout) = w.Run("ADD", "c3", c3, "eth0", w.List.BuildPluginConfig(0, null, Mappings(bad)));
            Assert.Equal(1, status);
            using JsonDocument error = JsonDocument.Parse(stdout);
            Assert.Equal(code, error.RootElement.GetProperty("code").GetInt32());
            Assert.Contains(named, error.RootElement.GetProperty("msg").GetString());
        }

        Assert.Equal("", TableOf(w, "c3"));
        Assert.DoesNotContain(w.IpamFiles().Values, v => v.StartsWith("c3", StringComparison.Ordinal));
        using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c3.Name!, "-j", "link", "show"));
        Assert.DoesNotContain(links.RootElement.EnumerateArray(), l => l.GetProperty("ifname").GetString() == "eth0");
    }
}

using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>The <c>bandwidth</c> capability of the built lxi-cni, checked with <c>tc -j -s</c> in the plugin's host namespace and real packets.</summary>
public sealed class BandwidthTests
{
    private const string Capability = ""","capabilities":{"bandwidth":true},"mtu":1400""";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static CniRuntimeConfig Shape(long? inRate, long? inBurst, long? outRate, long? outBurst) =>
        new() { Bandwidth = new CniBandwidth { IngressRate = inRate, IngressBurst = inBurst, EgressRate = outRate, EgressBurst = outBurst } };

    private static JsonElement[] Tc(LxiCniWorld w, params string[] args)
    {
        using JsonDocument doc = JsonDocument.Parse(LxiCniWorld.Tool("tc", ["-n", w.Host.Name!, "-j", "-s", .. args]));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    [Fact]
    public void IngressIsATbfOnTheHostVethAndEgressAnIfbFedByARedirectAndDelRemovesBoth()
    {
        using var w = new LxiCniWorld(extraPlugin: Capability);
        NetworkNamespace c1 = w.NewContainer("a");
        // 1 Mbit/s in with a 64 kbit burst; 2 Mbit/s out with 128 kbit: the reference's units (bits), tbf's (bytes).
        CniRuntimeConfig shape = Shape(1_000_000, 64_000, 2_000_000, 128_000);
        (int status, string stdout) = w.Run("ADD", "c1", c1, "eth0", w.List.BuildPluginConfig(0, null, shape));
        Assert.True(status == 0, stdout);
        CniResult r = CniResult.Parse(stdout);
        string veth = r.Interfaces![1].Name;
        string ifb = "lxb" + veth[4..];

        // Real packets both ways, so that the counters below show each path carries them.
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.1"), Timeout).Outcome);
        Assert.Equal(ProbeOutcome.Reachable, w.Host.Ping(IPAddress.Parse("10.99.0.2"), Timeout).Outcome);

        // tc -j -s qdisc show dev VETH: root tbf 1: rate 125000 bytes/s, burst 8000 bytes, 25 ms; the ingress qdisc.
        JsonElement[] vethQdiscs = Tc(w, "qdisc", "show", "dev", veth);
        JsonElement tbf = vethQdiscs.Single(q => q.GetProperty("kind").GetString() == "tbf");
        Assert.True(tbf.GetProperty("root").GetBoolean());
        Assert.Equal("1:", tbf.GetProperty("handle").GetString());
        Assert.Equal(125_000, tbf.GetProperty("options").GetProperty("rate").GetInt64());
        Assert.Equal(8_000, tbf.GetProperty("options").GetProperty("burst").GetInt64());
        Assert.Equal(25_000, tbf.GetProperty("options").GetProperty("lat").GetInt64());
        Assert.True(tbf.GetProperty("packets").GetInt64() > 0, "no packet left through the host veth's tbf");
        Assert.Contains(vethQdiscs, q => q.GetProperty("kind").GetString() == "ingress");

        // tc -j filter show dev VETH ingress: u32 match-all, flowid 1:1, mirred egress redirect to the ifb.
        JsonElement filter = Tc(w, "filter", "show", "dev", veth, "ingress").Single(f => f.TryGetProperty("options", out JsonElement o) && o.TryGetProperty("actions", out _));
        Assert.Equal("u32", filter.GetProperty("kind").GetString());
        Assert.Equal("1:1", filter.GetProperty("options").GetProperty("flowid").GetString());
        JsonElement mirred = filter.GetProperty("options").GetProperty("actions")[0];
        Assert.Equal(("mirred", "redirect", "egress", ifb), (mirred.GetProperty("kind").GetString(), mirred.GetProperty("mirred_action").GetString(), mirred.GetProperty("direction").GetString(), mirred.GetProperty("to_dev").GetString()));

        // The ifb: up, the bridge's MTU, root tbf at 250000 bytes/s, and it has shaped the container's packets.
        using (JsonDocument link = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "-d", "link", "show", ifb)))
        {
            Assert.Equal("ifb", link.RootElement[0].GetProperty("linkinfo").GetProperty("info_kind").GetString());
            Assert.Equal(1400, link.RootElement[0].GetProperty("mtu").GetInt32());
            Assert.Contains("UP", link.RootElement[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }

        JsonElement ifbTbf = Tc(w, "qdisc", "show", "dev", ifb).Single(q => q.GetProperty("kind").GetString() == "tbf");
        Assert.Equal(250_000, ifbTbf.GetProperty("options").GetProperty("rate").GetInt64());
        Assert.Equal(16_000, ifbTbf.GetProperty("options").GetProperty("burst").GetInt64());
        Assert.True(ifbTbf.GetProperty("packets").GetInt64() > 0, "no packet of the container went through the ifb");

        // CHECK with the same arguments passes; DEL removes the veth (and its qdiscs) and the ifb; twice is fine.
        byte[] again = w.List.BuildPluginConfig(0, r, shape);
        Assert.Equal((0, ""), w.Run("CHECK", "c1", c1, "eth0", again));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, "eth0", again));
        using (JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link", "show")))
        {
            string[] names = links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).ToArray();
            Assert.DoesNotContain(veth, names);
            Assert.DoesNotContain(ifb, names);
        }

        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, "eth0", again));
    }

    [Fact]
    public void OnlyIngressMakesNoIfbAndARateWithoutBurstIsCode7WithNothingMade()
    {
        using var w = new LxiCniWorld(extraPlugin: Capability);
        NetworkNamespace c1 = w.NewContainer("a");
        (int status, string stdout) = w.Run("ADD", "c1", c1, "eth0", w.List.BuildPluginConfig(0, null, Shape(1_000_000, 64_000, null, null)));
        Assert.True(status == 0, stdout);
        string veth = CniResult.Parse(stdout).Interfaces![1].Name;
        Assert.Single(Tc(w, "qdisc", "show", "dev", veth), q => q.GetProperty("kind").GetString() == "tbf");
        Assert.DoesNotContain(Tc(w, "qdisc", "show", "dev", veth), q => q.GetProperty("kind").GetString() == "ingress");
        using (JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link", "show", "type", "ifb")))
        {
            Assert.Equal(0, links.RootElement.GetArrayLength());
        }

        NetworkNamespace c2 = w.NewContainer("b");
        (status, stdout) = w.Run("ADD", "c2", c2, "eth0", w.List.BuildPluginConfig(0, null, Shape(null, null, 2_000_000, null)));
        Assert.Equal(1, status);
        using JsonDocument error = JsonDocument.Parse(stdout);
        Assert.Equal(7, error.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("runtimeConfig.bandwidth.egressBurst", error.RootElement.GetProperty("msg").GetString());
        Assert.DoesNotContain(w.IpamFiles().Values, v => v.StartsWith("c2", StringComparison.Ordinal));
        using JsonDocument inside = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c2.Name!, "-j", "link", "show"));
        Assert.DoesNotContain(inside.RootElement.EnumerateArray(), l => l.GetProperty("ifname").GetString() == "eth0");
    }
}

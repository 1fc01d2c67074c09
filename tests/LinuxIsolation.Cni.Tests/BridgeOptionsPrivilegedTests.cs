using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>lxi-cni's <c>promiscMode</c> and <c>vlan</c>, as the reference bridge plugin means them, checked with <c>ip -j -d link</c> and <c>bridge -j vlan</c>.</summary>
public sealed class BridgeOptionsPrivilegedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static JsonElement ShowLink(LxiCniWorld w, string name)
    {
        using JsonDocument d = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "-d", "link", "show", name));
        return d.RootElement[0].Clone();
    }

    [Fact]
    public void PromiscModeMakesTheBridgePromiscuousAndCheckSeesIt()
    {
        using var w = new LxiCniWorld(extraPlugin: ",\"promiscMode\":true");
        NetworkNamespace c1 = w.NewContainer("pa");
        NetworkNamespace c2 = w.NewContainer("pb");
        CniResult r1 = w.Add("p1", c1);
        _ = w.Add("p2", c2);

        JsonElement bridge = ShowLink(w, w.Bridge);
        Assert.Contains("PROMISC", bridge.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        // Set once: a second ADD on the same bridge does not count it up again.
        Assert.Equal(1, bridge.GetProperty("promiscuity").GetInt32());
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.3"), Timeout).Outcome);
        Assert.Equal((0, ""), w.Run("CHECK", "p1", c1, r1));

        // Someone turns it off: CHECK says so.
        LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "link", "set", "dev", w.Bridge, "promisc", "off");
        (int status, string stdout) = w.Run("CHECK", "p1", c1, r1);
        Assert.Equal(1, status);
        Assert.Contains("not promiscuous", CniError.Parse(stdout).Msg);
        Assert.Equal((0, ""), w.Run("DEL", "p1", c1, r1));
    }

    [Fact]
    public void WithoutPromiscModeTheBridgeIsNotPromiscuous()
    {
        using var w = new LxiCniWorld();
        _ = w.Add("n1", w.NewContainer("na"));
        Assert.DoesNotContain("PROMISC", ShowLink(w, w.Bridge).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void VlanPutsTheContainersPortInTheVlanUntaggedOrOnAKernelWithoutVlanFilteringIsCode2WithNothingMade()
    {
        using var w = new LxiCniWorld(extraPlugin: ",\"vlan\":42");
        NetworkNamespace c1 = w.NewContainer("va");
        NetworkNamespace c2 = w.NewContainer("vb");

        // Does this kernel filter VLANs on bridges? iproute2 on a scratch bridge in the test's own host namespace judges.
        string probe = $"vp{w.Tag}"[..Math.Min(15, 2 + w.Tag.Length)];
        LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "link", "add", probe, "type", "bridge");
        bool supported = LxiCniWorldStatus("ip", "-n", w.Host.Name!, "link", "set", "dev", probe, "type", "bridge", "vlan_filtering", "1") == 0;
        LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "link", "del", probe);

        if (!supported)
        {
            (int status, string stdout) = w.Run("ADD", "v1", c1);
            Assert.Equal(1, status);
            CniError e = CniError.Parse(stdout);
            Assert.Equal(CniErrorCode.UnsupportedField, e.Code);
            Assert.StartsWith("\"vlan\": this kernel does not filter VLANs on bridges", e.Msg);
            // Undone: no address held, no bridge left (it had no port), nothing in the container.
            Assert.Empty(w.IpamFiles());
            Assert.DoesNotContain($"\"{w.Bridge}\"", LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link"));
            using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "link"));
            Assert.Equal(["lo"], links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
            return;
        }

        CniResult r1 = w.Add("v1", c1);
        _ = w.Add("v2", c2);
        Assert.Equal(1, ShowLink(w, w.Bridge).GetProperty("linkinfo").GetProperty("info_data").GetProperty("vlan_filtering").GetInt32());
        using (JsonDocument vlans = JsonDocument.Parse(LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "bridge", "-j", "vlan", "show")))
        {
            JsonElement port = vlans.RootElement.EnumerateArray().Single(v => v.GetProperty("ifname").GetString() == r1.Interfaces![1].Name);
            JsonElement v42 = port.GetProperty("vlans").EnumerateArray().Single(v => v.GetProperty("vlan").GetInt32() == 42);
            Assert.Equal(["PVID", "Egress Untagged"], v42.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        }

        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.3"), Timeout).Outcome);
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.1"), Timeout).Outcome);
        Assert.Equal((0, ""), w.Run("DEL", "v1", c1, r1));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("4095")]
    public void AVlanOutsideZeroTo4094IsCode7(string vlan)
    {
        using var w = new LxiCniWorld(extraPlugin: $",\"vlan\":{vlan}");
        NetworkNamespace c = w.NewContainer("vr");
        (int status, string stdout) = w.Run("ADD", "r1", c);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(stdout);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Equal($"\"vlan\" {vlan} is outside 0 to 4094.", e.Msg);
        Assert.Empty(w.IpamFiles());
    }

    private static int LxiCniWorldStatus(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}

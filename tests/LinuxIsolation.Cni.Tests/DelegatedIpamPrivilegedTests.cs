using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>
/// lxi-cni with its IPAM delegated to Debian's reference plugins (containernetworking-plugins in /usr/lib/cni), run
/// from CNI_PATH as the reference bridge runs them; each test in its own namespaces with its state in a temporary
/// directory (<see cref="LxiCniWorld"/>).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DelegatedIpamPrivilegedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static void RequireReferencePlugins()
    {
        Privileged.Require();
        Assert.True(File.Exists("/usr/lib/cni/host-local") && File.Exists("/usr/lib/cni/static"), "Debian's containernetworking-plugins are not installed: apt-get install -y containernetworking-plugins");
    }

    private static LxiCniWorld HostLocalWorld(string extraPlugin = "")
    {
        RequireReferencePlugins();
        // "delegateIpam": the real host-local from CNI_PATH rather than lxi-cni's built-in one; its state in DATADIR.
        return new LxiCniWorld(
            extraPlugin: ",\"delegateIpam\":true" + extraPlugin,
            ipam: """{"type":"host-local","ranges":[[{"subnet":"10.97.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"DATADIR"}""");
    }

    [Fact]
    public void TheReferenceHostLocalAllocatesAddsWorkCheckPassesAndDelFreesItsState()
    {
        using LxiCniWorld w = HostLocalWorld();
        NetworkNamespace c1 = w.NewContainer("da");
        NetworkNamespace c2 = w.NewContainer("db");
        CniResult r1 = w.Add("d1", c1);
        CniResult r2 = w.Add("d2", c2);

        Assert.Equal("10.97.0.2/24", r1.Ips![0].Address.ToString());
        Assert.Equal("10.97.0.3/24", r2.Ips![0].Address.ToString());
        Assert.Equal("10.97.0.1", r1.Ips[0].Gateway!.ToString());
        Assert.Equal(2, r1.Ips[0].Interface);
        Assert.Equal("0.0.0.0/0", r1.Routes![0].Destination.ToString());
        // The allocations are host-local's own files, naming their containers.
        Assert.Equal("d1\r\neth0", w.IpamFiles()["10.97.0.2"]);
        Assert.Equal("d2\r\neth0", w.IpamFiles()["10.97.0.3"]);

        using (JsonDocument addr = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "addr", "show", "eth0")))
        {
            Assert.Contains(addr.RootElement[0].GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.97.0.2" && a.GetProperty("prefixlen").GetInt32() == 24);
        }

        using (JsonDocument routes = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "route", "show", "default")))
        {
            Assert.Equal("10.97.0.1", routes.RootElement[0].GetProperty("gateway").GetString());
        }

        using (JsonDocument bridge = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "addr", "show", w.Bridge)))
        {
            Assert.Contains(bridge.RootElement[0].GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.97.0.1");
        }

        Assert.Contains("ip saddr 10.97.0.0/24 ip daddr != 10.97.0.0/24", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "table", "ip", $"lxi-cni-{w.Network}"));
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.97.0.3"), Timeout).Outcome);
        Assert.Equal(ProbeOutcome.Reachable, c2.Ping(IPAddress.Parse("10.97.0.1"), Timeout).Outcome);

        // CHECK runs host-local's CHECK too: it passes while host-local holds the address, fails with host-local's own
        // error once the allocation is gone.
        Assert.Equal((0, ""), w.Run("CHECK", "d1", c1, r1));
        File.Delete(Path.Combine(w.IpamDirectory, "10.97.0.2"));
        (int status, string stdout) = w.Run("CHECK", "d1", c1, r1);
        Assert.Equal(1, status);
        Assert.StartsWith("host-local: Failed to find address added by container d1", CniError.Parse(stdout).Msg);
        File.WriteAllText(Path.Combine(w.IpamDirectory, "10.97.0.2"), "d1\r\neth0");

        // DEL runs host-local's DEL (its file goes), twice is fine, the last DEL of the network drops the masquerade.
        Assert.Equal((0, ""), w.Run("DEL", "d1", c1, r1));
        Assert.Equal((0, ""), w.Run("DEL", "d1", c1, r1));
        Assert.Equal(["10.97.0.3"], w.IpamFiles().Keys);
        Assert.DoesNotContain(r1.Interfaces![1].Name, LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link"));
        Assert.Contains("masquerade", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "ruleset"));
        Assert.Equal((0, ""), w.Run("DEL", "d2", null, r2));
        Assert.Empty(w.IpamFiles());
        Assert.DoesNotContain("lxi-cni", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "ruleset"));
    }

    [Fact]
    public void AnAddFailingAfterTheIpamAddRunsTheIpamDelSoNoAddressLeaks()
    {
        using LxiCniWorld w = HostLocalWorld();
        NetworkNamespace c = w.NewContainer("du");
        // The bridge's name is taken by a veth: lxi-cni fails after host-local has handed out an address.
        LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "link", "add", w.Bridge, "type", "veth", "peer", "name", $"x{w.Tag}");
        (int status, string stdout) = w.Run("ADD", "u1", c);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(stdout);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("not a bridge", e.Msg);
        Assert.Empty(w.IpamFiles());
        // host-local did allocate (its last_reserved_ip.0 says so) before the DEL freed it.
        Assert.Equal("10.97.0.2", File.ReadAllText(Path.Combine(w.IpamDirectory, "last_reserved_ip.0")).Trim());
        using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c.Name!, "-j", "link"));
        Assert.Equal(["lo"], links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
    }

    [Fact]
    public void AFullHostLocalRangeIsHostLocalsErrorPassedThroughWithItsCode()
    {
        RequireReferencePlugins();
        using var w = new LxiCniWorld(
            extraPlugin: ",\"delegateIpam\":true",
            ipam: """{"type":"host-local","ranges":[[{"subnet":"10.97.1.0/29","rangeStart":"10.97.1.2","rangeEnd":"10.97.1.2"}]],"dataDir":"DATADIR"}""");
        NetworkNamespace c1 = w.NewContainer("f1");
        NetworkNamespace c2 = w.NewContainer("f2");
        Assert.Equal("10.97.1.2/29", w.Add("f1", c1).Ips![0].Address.ToString());
        (int status, string stdout) = w.Run("ADD", "f2", c2);
        Assert.Equal(1, status);
        using JsonDocument error = JsonDocument.Parse(stdout);
        // host-local's own code and message (999: it reports a full range as an internal error).
        Assert.Equal(999, error.RootElement.GetProperty("code").GetInt32());
        Assert.Contains("no IP addresses available in range set", error.RootElement.GetProperty("msg").GetString());
        Assert.Equal(["10.97.1.2"], w.IpamFiles().Keys);
        using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c2.Name!, "-j", "link"));
        Assert.Equal(["lo"], links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
    }

    [Fact]
    public void TheReferenceStaticPluginsAddressRoutesAndDnsAreUsed()
    {
        RequireReferencePlugins();
        using var w = new LxiCniWorld(ipam: """
            {"type":"static","addresses":[{"address":"10.96.0.5/24","gateway":"10.96.0.1"}],
             "routes":[{"dst":"0.0.0.0/0"},{"dst":"192.0.2.0/24","gw":"10.96.0.1"}],
             "dns":{"nameservers":["10.96.0.53"],"search":["example.test"]},"dataDir":"DATADIR"}
            """);
        NetworkNamespace c = w.NewContainer("st");
        CniResult r = w.Add("s1", c);

        Assert.Equal("10.96.0.5/24", r.Ips![0].Address.ToString());
        Assert.Equal("10.96.0.1", r.Ips[0].Gateway!.ToString());
        Assert.Equal(["0.0.0.0/0", "192.0.2.0/24"], r.Routes!.Select(x => x.Destination.ToString()));
        Assert.Equal(["10.96.0.53"], r.Dns!.Nameservers!);
        Assert.Equal(["example.test"], r.Dns.Search!);

        using (JsonDocument routes = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c.Name!, "-j", "route")))
        {
            JsonElement[] all = routes.RootElement.EnumerateArray().ToArray();
            Assert.Contains(all, x => x.GetProperty("dst").GetString() == "default" && x.GetProperty("gateway").GetString() == "10.96.0.1");
            Assert.Contains(all, x => x.GetProperty("dst").GetString() == "192.0.2.0/24" && x.GetProperty("gateway").GetString() == "10.96.0.1");
        }

        Assert.Equal(ProbeOutcome.Reachable, c.Ping(IPAddress.Parse("10.96.0.1"), Timeout).Outcome);
        Assert.Equal((0, ""), w.Run("CHECK", "s1", c, r));
        Assert.Equal((0, ""), w.Run("DEL", "s1", c, r));
        Assert.DoesNotContain("\"eth0\"", LxiCniWorld.Tool("ip", "-n", c.Name!, "-j", "link"));
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"fd00::5/64"}]}""", CniErrorCode.UnsupportedField, "lxi-cni configures one IPv4 address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.94.0.5/24"},{"address":"10.94.1.5/24"}]}""", CniErrorCode.UnsupportedField, "lxi-cni configures one IPv4 address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[]}""", CniErrorCode.InvalidNetworkConfig, "returned no address")]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.94.0.5/32"}]}""", CniErrorCode.UnsupportedField, "at least /30")]
    public void AnIpamResultLxiCniCannotUseIsRefusedAndTheIpamDelUndoesTheAdd(string result, int code, string message)
    {
        Privileged.Require();
        string bin = Directory.CreateTempSubdirectory("lxicni-fakeipam").FullName;
        try
        {
            // A script IPAM plugin that answers ADD with the given result and records every command it gets.
            string plugin = Path.Combine(bin, "fakeipam");
            File.WriteAllText(plugin, $"#!/bin/sh\ncat > /dev/null\necho \"$CNI_COMMAND $CNI_CONTAINERID $CNI_IFNAME\" >> '{bin}/log'\n[ \"$CNI_COMMAND\" = ADD ] && echo '{result}'\nexit 0\n");
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var w = new LxiCniWorld(ipam: """{"type":"fakeipam","dataDir":"DATADIR"}""");
            NetworkNamespace c = w.NewContainer("fk");
            (int status, string stdout) = w.Run("ADD", "k1", c, "eth0", w.List.BuildPluginConfig(0), e => e["CNI_PATH"] = bin);
            Assert.Equal(1, status);
            CniError e = CniError.Parse(stdout);
            Assert.Equal(code, e.Code);
            Assert.Contains(message, e.Msg);
            Assert.Equal("ADD k1 eth0\nDEL k1 eth0\n", File.ReadAllText(Path.Combine(bin, "log")));
            using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c.Name!, "-j", "link"));
            Assert.Equal(["lo"], links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
            Assert.DoesNotContain($"\"{w.Bridge}\"", LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link"));
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [Fact]
    public void AMissingIpamPluginIsCode7AndCreatesNothing()
    {
        Privileged.Require();
        using var w = new LxiCniWorld(ipam: """{"type":"lxi-no-such-ipam","dataDir":"DATADIR"}""");
        NetworkNamespace c = w.NewContainer("mi");
        (int status, string stdout) = w.Run("ADD", "m1", c);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(stdout);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Equal("plugin type \"lxi-no-such-ipam\" is not found on CNI_PATH (/usr/lib/cni).", e.Msg);
        Assert.DoesNotContain(w.Bridge, LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link"));
    }
}

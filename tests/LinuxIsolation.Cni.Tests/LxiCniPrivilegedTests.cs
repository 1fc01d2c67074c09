using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Networking;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>The built lxi-cni run as a process, as libcni runs plugins, inside throwaway namespaces (see <see cref="LxiCniWorld"/>).</summary>
public sealed class LxiCniPrivilegedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    [Fact]
    public void AddGivesTwoContainersAddressesAndTrafficToEachOtherAndTheHostThenDelRemovesIt()
    {
        using var w = new LxiCniWorld();
        NetworkNamespace c1 = w.NewContainer("a");
        NetworkNamespace c2 = w.NewContainer("b");
        CniResult r1 = w.Add("c1", c1);
        CniResult r2 = w.Add("c2", c2);

        // The result, as the reference plugin shapes it: bridge, host veth, container interface; the address on index 2.
        Assert.Equal([w.Bridge, "eth0"], new[] { r1.Interfaces![0].Name, r1.Interfaces[2].Name });
        Assert.Equal(LxiCniWorld.PathOf(c1), r1.Interfaces[2].Sandbox);
        Assert.Null(r1.Interfaces[0].Sandbox);
        // The bridge keeps an address of its own instead of taking its first port's.
        Assert.NotEqual(r1.Interfaces[0].Mac, r1.Interfaces[1].Mac);
        Assert.Equal(r1.Interfaces[0].Mac, r2.Interfaces![0].Mac);
        Assert.Equal("10.99.0.2/24", r1.Ips![0].Address.ToString());
        Assert.Equal("10.99.0.3/24", r2.Ips![0].Address.ToString());
        Assert.Equal("10.99.0.1", r1.Ips[0].Gateway!.ToString());
        Assert.Equal(2, r1.Ips[0].Interface);

        // Independent check with ip -j: the address and the MAC inside, the default route, the veth on the bridge.
        using (JsonDocument addr = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "addr", "show", "eth0")))
        {
            JsonElement link = addr.RootElement[0];
            Assert.Equal(r1.Interfaces[2].Mac, link.GetProperty("address").GetString());
            Assert.Contains(link.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("local").GetString() == "10.99.0.2" && a.GetProperty("prefixlen").GetInt32() == 24);
        }

        using (JsonDocument routes = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "route", "show", "default")))
        {
            Assert.Equal("10.99.0.1", routes.RootElement[0].GetProperty("gateway").GetString());
        }

        using (JsonDocument veth = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "-d", "link", "show", r1.Interfaces[1].Name)))
        {
            Assert.Equal(w.Bridge, veth.RootElement[0].GetProperty("master").GetString());
            Assert.Equal("veth", veth.RootElement[0].GetProperty("linkinfo").GetProperty("info_kind").GetString());
        }

        Assert.Equal("1", w.Host.ReadSysctl("net.ipv4.ip_forward"));
        string nft = LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "table", "ip", $"lxi-cni-{w.Network}");
        // The reference's exceptions: the subnet itself and multicast keep their source.
        Assert.Contains("ip saddr 10.99.0.0/24 ip daddr != 10.99.0.0/24 ip daddr != 224.0.0.0/4 masquerade", nft);

        // Real traffic: container to container across the bridge, container to the host's gateway address, TCP to a host listener.
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.3"), Timeout).Outcome);
        Assert.Equal(ProbeOutcome.Reachable, c2.Ping(IPAddress.Parse("10.99.0.2"), Timeout).Outcome);
        Assert.Equal(ProbeOutcome.Reachable, c1.Ping(IPAddress.Parse("10.99.0.1"), Timeout).Outcome);
        using (Socket listener = w.Host.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Parse("10.99.0.1"), 0));
            listener.Listen();
            Assert.Equal(ProbeOutcome.Reachable, c2.ConnectTcp((IPEndPoint)listener.LocalEndPoint!, Timeout).Outcome);
        }

        // Container to container keeps its source address, also where br_netfilter runs bridged traffic through the
        // nat hooks (bridge-nf-call-iptables, on here): the masquerade leaves the subnet alone.
        using (Socket listener = c2.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Parse("10.99.0.3"), 0));
            listener.Listen();
            Assert.Equal(ProbeOutcome.Reachable, c1.ConnectTcp((IPEndPoint)listener.LocalEndPoint!, Timeout).Outcome);
            Assert.True(listener.Poll(Timeout, SelectMode.SelectRead));
            using Socket accepted = listener.Accept();
            Assert.Equal(IPAddress.Parse("10.99.0.2"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        }

        // CHECK with the chain's result passes; DEL twice succeeds; CHECK after DEL fails with the plugin's code.
        Assert.Equal((0, ""), w.Run("CHECK", "c1", c1, r1));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, r1));
        Assert.Equal((0, ""), w.Run("DEL", "c1", c1, r1));
        (int status, string stdout) = w.Run("CHECK", "c1", c1, r1);
        Assert.Equal(1, status);
        Assert.Equal(CniErrorCode.CheckFailed, CniError.Parse(stdout).Code);
        Assert.DoesNotContain("\"ifname\":\"eth0\"", LxiCniWorld.Tool("ip", "-n", c1.Name!, "-j", "link"));
        Assert.DoesNotContain(r1.Interfaces[1].Name, LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link"));
        Assert.Equal(["10.99.0.3"], w.IpamFiles().Keys);
        Assert.Equal("c2\r\neth0", w.IpamFiles()["10.99.0.3"]);
        Assert.Contains("masquerade", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "ruleset"));

        // The last DEL of the network removes its masquerade table; a DEL without CNI_NETNS is fine too.
        Assert.Equal((0, ""), w.Run("DEL", "c2", null, r2));
        Assert.Empty(w.IpamFiles());
        Assert.DoesNotContain("lxi-cni", LxiCniWorld.Tool("ip", "netns", "exec", w.Host.Name!, "nft", "list", "ruleset"));
    }

    [Fact]
    public void FiftyParallelAddsFromSeparateProcessesGetDistinctAddressesAndParallelDelsFreeThemAll()
    {
        using var w = new LxiCniWorld();
        const int N = 50; // as the issue asks: 50 ADDs from separate processes at once
        NetworkNamespace[] containers = Enumerable.Range(0, N).Select(i => w.NewContainer($"p{i}")).ToArray();
        (int Status, string Stdout)[] adds = Parallel_(N, i => w.Run("ADD", $"par{i}", containers[i]));
        Assert.All(adds, a => Assert.True(a.Status == 0, a.Stdout));
        string[] addresses = adds.Select(a => CniResult.Parse(a.Stdout).Ips![0].Address.Address.ToString()).ToArray();
        Assert.Equal(N, addresses.Distinct().Count());

        // The state on disk agrees with the results: one file per address, naming its container.
        Dictionary<string, string> files = w.IpamFiles();
        Assert.Equal(N, files.Count);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal($"par{i}\r\neth0", files[addresses[i]]);
        }

        using (JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link", "show", "master", w.Bridge)))
        {
            Assert.Equal(N, links.RootElement.GetArrayLength());
        }

        (int Status, string Stdout)[] dels = Parallel_(N, i => w.Run("DEL", $"par{i}", containers[i]));
        Assert.All(dels, d => Assert.Equal((0, ""), d));
        Assert.Empty(w.IpamFiles());
        Assert.Equal("[]", LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link", "show", "master", w.Bridge).Trim());
    }

    [Fact]
    public void ConcurrentAddAndDelOfOneContainerLeaveItWhollyThereOrWhollyGone()
    {
        using var w = new LxiCniWorld();
        NetworkNamespace c = w.NewContainer("race");
        for (int round = 0; round < 8; round++)
        {
            (int Status, string Stdout)[] both = Parallel_(2, i => w.Run(i == 0 ? "ADD" : "DEL", "race1", c));
            Assert.Equal((0, ""), both[1]);
            bool hasAddress = w.IpamFiles().Count == 1;
            bool hasVeth = LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "-j", "link", "show", "master", w.Bridge).Trim() != "[]";
            bool hasEth0 = LxiCniWorld.Tool("ip", "-n", c.Name!, "-j", "link").Contains("\"eth0\"", StringComparison.Ordinal);
            // Whichever ran first, the container is either attached with everything or not at all.
            Assert.True(hasAddress == hasVeth && hasVeth == hasEth0, $"round {round}: address {hasAddress}, veth {hasVeth}, eth0 {hasEth0}; ADD said {both[0]}");
            Assert.Equal(hasAddress, both[0].Status == 0 && hasAddress);
            Assert.Equal((0, ""), w.Run("DEL", "race1", c));
            Assert.Empty(w.IpamFiles());
        }
    }

    [Theory]
    [InlineData("{\"cniVersion\":", null, null, CniErrorCode.DecodeFailure, "JSON")]
    [InlineData(null, "../../etc", null, CniErrorCode.InvalidEnvironment, "CNI_CONTAINERID")]
    [InlineData(null, null, "averyveryverylong", CniErrorCode.InvalidEnvironment, "CNI_IFNAME")]
    [InlineData("{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"type\":\"lxi-cni\"}", null, null, CniErrorCode.IncompatibleVersion, "0.2.0")]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"lxi-cni\"}", null, null, CniErrorCode.InvalidNetworkConfig, "ipam")]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"lxi-cni\",\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.99.0.0/99\"}]]}}", null, null, CniErrorCode.InvalidNetworkConfig, "ipam.ranges[0][0].subnet")]
    [InlineData("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"lxi-cni\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.99.0.0/24\",\"gateway\":\"10.98.0.1\"}}", null, null, CniErrorCode.InvalidNetworkConfig, "ipam.gateway")]
    public void BadInputIsTheSpecsErrorAndCreatesNothing(string? stdin, string? containerId, string? ifName, int code, string named)
    {
        using var w = new LxiCniWorld();
        NetworkNamespace c = w.NewContainer("bad");
        byte[] input = stdin is null ? w.List.BuildPluginConfig(0) : Encoding.UTF8.GetBytes(stdin);
        (int status, string stdout) = w.Run("ADD", containerId ?? "bad1", c, ifName ?? "eth0", input);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(stdout);
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Msg);
        AssertNothingMade(w, c);
    }

    [Fact]
    public void MissingNetnsIsCode4AndAFullRangeIsCode11WithNothingMade()
    {
        using var w = new LxiCniWorld(subnet: "10.99.0.0/29", extraIpam: ",\"rangeStart\":\"10.99.0.2\",\"rangeEnd\":\"10.99.0.2\"");
        NetworkNamespace c1 = w.NewContainer("f1");
        NetworkNamespace c2 = w.NewContainer("f2");
        (int status, string stdout) = w.Run("ADD", "gone", null, "eth0", w.List.BuildPluginConfig(0), e => e["CNI_NETNS"] = "/run/netns/lxicni-does-not-exist");
        Assert.Equal((1, CniErrorCode.InvalidEnvironment), (status, CniError.Parse(stdout).Code));

        Assert.Equal("10.99.0.2/29", w.Add("f1", c1).Ips![0].Address.ToString());
        (status, stdout) = w.Run("ADD", "f2", c2);
        Assert.Equal((1, CniErrorCode.TryAgainLater), (status, CniError.Parse(stdout).Code));
        AssertNothingMade(w, c2, expectedAllocations: 1);
    }

    [Fact]
    public void AddFailingPartWayUndoesWhatItMade()
    {
        using var w = new LxiCniWorld();
        NetworkNamespace c = w.NewContainer("u");
        // The bridge's name is taken by a veth: ADD allocates an address, then finds it cannot use the name.
        LxiCniWorld.Tool("ip", "-n", w.Host.Name!, "link", "add", w.Bridge, "type", "veth", "peer", "name", $"x{w.Tag}");
        (int status, string stdout) = w.Run("ADD", "u1", c);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(stdout);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("not a bridge", e.Msg);
        AssertNothingMade(w, c);
    }

    private static void AssertNothingMade(LxiCniWorld w, NetworkNamespace container, int expectedAllocations = 0)
    {
        Assert.Equal(expectedAllocations, w.IpamFiles().Count);
        using JsonDocument links = JsonDocument.Parse(LxiCniWorld.Tool("ip", "-n", container.Name!, "-j", "link"));
        Assert.Equal(["lo"], links.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()));
    }

    private static T[] Parallel_<T>(int n, Func<int, T> run)
    {
        var results = new T[n];
        Task[] tasks = Enumerable.Range(0, n).Select(i => Task.Factory.StartNew(() => results[i] = run(i), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        return results;
    }
}

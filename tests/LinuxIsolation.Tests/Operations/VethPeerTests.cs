using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// <see cref="NetworkNamespace.AddVethPeer(RtnetlinkClient, VethPeerOptions)"/> between two private namespaces
/// ("host" side with a bridge, and the container side): what it builds, checked with <c>ip -j</c>, and the failure
/// after each of its ten steps, by real causes, and with the undo made to fail.
/// </summary>
[Collection(FaultCollection.Name)]
public class VethPeerTests
{
    public const int StepCount = 10;

    [Fact]
    public void BuildsThePerContainerNetwork()
    {
        using var w = new World();
        VethPeer made = w.Container.AddVethPeer(w.HostRt, w.Options());
        Assert.Equal(new VethPeer(made.HostIndex, w.HostName, made.PeerIndex, "eth0"), made);

        JsonElement host = w.IpLink(w.HostNs).Single(l => l.GetProperty("ifname").GetString() == w.HostName);
        Assert.Equal("br0", host.GetProperty("master").GetString());
        Assert.Contains("UP", host.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(made.HostIndex, host.GetProperty("ifindex").GetInt32());

        List<JsonElement> inside = w.IpLink(w.ContainerNs);
        Assert.Equal(["eth0", "lo"], inside.Select(l => l.GetProperty("ifname").GetString()).Order(StringComparer.Ordinal));
        Assert.All(inside, l => Assert.Contains("UP", l.GetProperty("flags").EnumerateArray().Select(f => f.GetString())));
        string addr = NsTool.Run("ip", "-n", w.ContainerNs, "-j", "addr", "show", "dev", "eth0");
        Assert.Contains("\"local\":\"10.77.0.2\",\"prefixlen\":24", addr, StringComparison.Ordinal);
        string route = NsTool.Run("ip", "-n", w.ContainerNs, "-j", "route", "show", "default");
        Assert.Contains("\"gateway\":\"10.77.0.1\"", route, StringComparison.Ordinal);
        // And it carries traffic: TCP from the container to a listener on the bridge's address, through the gateway's subnet.
        using Socket listener = w.Host.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse("10.77.0.1"), 0));
        listener.Listen();
        using Socket client = w.Container.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket accepted = listener.Accept();
        Assert.Equal(IPAddress.Parse("10.77.0.2"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
    }

    [Fact]
    public void AnOwnerTagsBothEnds()
    {
        using var w = new World();
        var owner = LinuxIsolation.Ownership.ResourceOwner.Current("vethtag");
        VethPeer made = w.Container.AddVethPeer(w.HostRt, w.Options() with { Owner = owner });
        JsonElement host = w.IpLink(w.HostNs).Single(l => l.GetProperty("ifname").GetString() == w.HostName);
        JsonElement peer = w.IpLink(w.ContainerNs).Single(l => l.GetProperty("ifname").GetString() == "eth0");
        Assert.Equal(owner.Tag, host.GetProperty("ifalias").GetString());
        Assert.Equal(owner.Tag, peer.GetProperty("ifalias").GetString());
        Assert.Equal(made.PeerIndex, peer.GetProperty("ifindex").GetInt32());
    }

    [Theory]
    [InlineData(1, "open rtnetlink inside the namespace")]
    [InlineData(2, "create veth pair")]
    [InlineData(3, "find ")]
    [InlineData(4, "rename ")]
    [InlineData(5, "master")]
    [InlineData(6, " up")]
    [InlineData(7, "add address 10.77.0.2/24")]
    [InlineData(8, "set lo up")]
    [InlineData(9, "set eth0 up")]
    [InlineData(10, "add default route via 10.77.0.1")]
    public void FailureAfterEachStepLeavesNoLink(int step, string stepName)
    {
        using var w = new World();
        ProcessState before = ProcessState.Capture();
        var e = Assert.Throws<LinuxSyscallException>(() => w.Container.AddVethPeer(w.HostRt, w.Options(), new StepFault { FailAfterStep = step }));
        Assert.Equal("ECANCELED", e.ErrorName);
        Assert.Contains($"step {step} (", e.Message, StringComparison.Ordinal);
        Assert.Contains(stepName, e.Message, StringComparison.Ordinal);
        Assert.Contains("undone", e.Message, StringComparison.Ordinal);
        w.AssertNothingLeft();
        ProcessState.Capture().AssertUnchangedSince(before);
    }

    [Fact]
    public void AnUnreachableGatewayIsRefusedByTheKernelAndUndone()
    {
        using var w = new World();
        VethPeerOptions options = w.Options() with { PeerAddresses = [new VethAddress(IPAddress.Parse("10.77.0.2"), 32)] };
        // A /32 address gives no on-link route to the gateway: the kernel refuses the default route (ENETUNREACH).
        var e = Assert.Throws<NetlinkException>(() => w.Container.AddVethPeer(w.HostRt, options));
        Assert.Equal(Errno.ENETUNREACH, e.NativeErrorCode);
        Assert.Contains("step 10 (add default route via 10.77.0.1) failed; undone: removed veth pair", e.Message, StringComparison.Ordinal);
        w.AssertNothingLeft();
    }

    [Fact]
    public void ATakenHostNameIsRefusedAndNothingIsMade()
    {
        using var w = new World();
        NsTool.Run("ip", "-n", w.HostNs, "link", "add", w.HostName, "type", "bridge");
        var e = Assert.Throws<NetlinkException>(() => w.Container.AddVethPeer(w.HostRt, w.Options()));
        Assert.Equal(Errno.EEXIST, e.NativeErrorCode);
        Assert.Contains("step 2 (create veth pair", e.Message, StringComparison.Ordinal);
        Assert.Contains("undone: nothing had been made", e.Message, StringComparison.Ordinal);
        Assert.Equal(["lo"], w.IpLink(w.ContainerNs).Select(l => l.GetProperty("ifname").GetString()));
    }

    [Fact]
    public void InvalidOptionsAreRefusedBeforeAnySyscall()
    {
        using var w = new World();
        Assert.Throws<ArgumentException>(() => w.Container.AddVethPeer(w.HostRt, w.Options() with { PeerFinalName = "has space" }));
        Assert.Throws<ArgumentException>(() => w.Container.AddVethPeer(w.HostRt, w.Options() with { PeerAddresses = [new VethAddress(IPAddress.Parse("10.0.0.1"), 33)] }));
        Assert.Throws<ArgumentException>(() => w.Container.AddVethPeer(w.HostRt, w.Options() with { Gateway = IPAddress.Parse("fd00::1") }));
        w.AssertNothingLeft();
    }

    [Fact]
    public void FailedUndoNamesTheLeftoverPair()
    {
        using var w = new World();
        var e = Assert.Throws<UndoFailedException>(() =>
            w.Container.AddVethPeer(w.HostRt, w.Options(), new StepFault { FailAfterStep = StepCount, FailUndoOfStep = 2 }));
        Assert.Equal("add veth peer", e.Operation);
        Assert.Equal(StepCount, e.StepNumber);
        Assert.Equal("add default route via 10.77.0.1", e.Step);
        Assert.Equal("ECANCELED", Assert.IsType<LinuxSyscallException>(e.InnerException).ErrorName);
        string leftover = Assert.Single(e.LeftBehind);
        Assert.Contains($"ip link delete {w.HostName}", leftover, StringComparison.Ordinal);
        Assert.Contains(w.IpLink(w.HostNs), l => l.GetProperty("ifname").GetString() == w.HostName);

        NsTool.Run("ip", "-n", w.HostNs, "link", "delete", w.HostName);
        w.AssertNothingLeft();
    }

    /// <summary>Two private named namespaces: the host side with bridge br0 (10.77.0.1/24), and the container.</summary>
    private sealed class World : IDisposable
    {
        public World()
        {
            Privileged.Require();
            HostNs = NsTool.UniqueName("vh");
            ContainerNs = NsTool.UniqueName("vc");
            HostName = "vp" + (Environment.ProcessId % 100000) + "x" + (++s_counter % 1000);
            try
            {
                Host = NetworkNamespace.CreateNamed(HostNs);
                Container = NetworkNamespace.CreateNamed(ContainerNs);
                HostRt = Host.OpenRtnetlink();
                Link br = HostRt.CreateBridge("br0");
                HostRt.AddAddress(br.Index, IPAddress.Parse("10.77.0.1"), 24);
                HostRt.SetLinkUp(br.Index);
                BridgeIndex = br.Index;
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        private static int s_counter;

        public string HostNs { get; }

        public string ContainerNs { get; }

        public string HostName { get; }

        public NetworkNamespace Host { get; } = null!;

        public NetworkNamespace Container { get; } = null!;

        public RtnetlinkClient HostRt { get; } = null!;

        public int BridgeIndex { get; }

        public VethPeerOptions Options() => new()
        {
            HostName = HostName,
            PeerName = "tmp0",
            PeerFinalName = "eth0",
            BridgeIndex = BridgeIndex,
            PeerAddresses = [new VethAddress(IPAddress.Parse("10.77.0.2"), 24)],
            Gateway = IPAddress.Parse("10.77.0.1"),
        };

        public List<JsonElement> IpLink(string ns)
        {
            using JsonDocument doc = JsonDocument.Parse(NsTool.Run("ip", "-n", ns, "-j", "link", "show"));
            return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }

        /// <summary>The host side holds only lo and br0, the container only lo, with no addresses or routes.</summary>
        public void AssertNothingLeft()
        {
            Assert.Equal(["br0", "lo"], IpLink(HostNs).Select(l => l.GetProperty("ifname").GetString()).Order(StringComparer.Ordinal));
            Assert.Equal(["lo"], IpLink(ContainerNs).Select(l => l.GetProperty("ifname").GetString()));
            Assert.Equal("[]", NsTool.Run("ip", "-n", ContainerNs, "-j", "route", "show").Trim());
        }

        public void Dispose()
        {
            HostRt?.Dispose();
            Host?.Dispose();
            Container?.Dispose();
            try
            {
                NsTool.DeleteNamespaceIfPresent(HostNs);
            }
            finally
            {
                NsTool.DeleteNamespaceIfPresent(ContainerNs);
            }
        }
    }
}

using System;
using System.Net;
using System.Net.NetworkInformation;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Bad input is refused with <see cref="ArgumentException"/> before any syscall: the client's socket is already
/// disposed, so reaching the kernel would throw <see cref="ObjectDisposedException"/> instead. Kernel refusals
/// carry errno, the kernel's text and the operation.
/// </summary>
public class BadInputTests
{
    private static RtnetlinkClient DisposedClient()
    {
        RtnetlinkClient client = RtnetlinkClient.Open();
        client.Dispose();
        return client;
    }

    [Theory]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("tab\tx")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("ééééééééé")]
    public void InvalidInterfaceNamesAreRefusedBeforeAnySyscall(string name)
    {
        RtnetlinkClient client = DisposedClient();
        using var handle = new SafeFileDescriptor(0, ownsHandle: false);
        Assert.Throws<ArgumentException>(() => client.CreateBridge(name));
        Assert.Throws<ArgumentException>(() => client.CreateVeth(name, "ok0"));
        Assert.Throws<ArgumentException>(() => client.CreateVeth("ok0", name, handle));
        Assert.Throws<ArgumentException>(() => client.CreateMacvlan(name, 1));
        Assert.Throws<ArgumentException>(() => client.CreateVxlan(name, new VxlanOptions { Id = 1 }));
        Assert.Throws<ArgumentException>(() => client.CreateLink(name, "bridge"));
        Assert.Throws<ArgumentException>(() => client.SetLinkName(1, name));
        Assert.Throws<ArgumentException>(() => client.DeleteLink(name));
        Assert.Throws<ArgumentException>(() => client.GetLink(name));
    }

    [Fact]
    public void OtherLinkArgumentsAreRefusedBeforeAnySyscall()
    {
        RtnetlinkClient client = DisposedClient();
        Assert.Throws<ArgumentException>(() => client.CreateLink("ok0", "bad kind"));
        Assert.Throws<ArgumentException>(() => client.CreateVxlan("vx0", new VxlanOptions { Id = 1 << 24 }));
        Assert.Throws<ArgumentException>(() => client.CreateVxlan("vx0", new VxlanOptions { Id = 1, Remote = IPAddress.Parse("239.1.1.1") }));
        Assert.Throws<ArgumentException>(() => client.CreateVxlan("vx0", new VxlanOptions { Id = 1, Remote = IPAddress.Parse("10.0.0.1"), Local = IPAddress.Parse("fd00::1") }));
        Assert.Throws<ArgumentException>(() => client.CreateMacvlan("mv0", 1, (MacvlanMode)3));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.CreateMacvlan("mv0", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SetLinkMtu(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.SetLinkUp(0));
        Assert.Throws<ArgumentException>(() => client.SetLinkAddress(1, PhysicalAddress.None));
        Assert.Throws<ArgumentException>(() => client.SetLinkAlias(1, new string('a', 256)));
        Assert.Throws<ArgumentException>(() => client.MoveLinkToNamespace(1, default(NetworkNamespaceTarget)));
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkNamespaceTarget.FromProcess(0));
    }

    [Fact]
    public void AddressArgumentsAreRefusedBeforeAnySyscall()
    {
        RtnetlinkClient client = DisposedClient();
        IPAddress v4 = IPAddress.Parse("10.0.0.1");
        IPAddress v6 = IPAddress.Parse("fd00::1");
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v4, 33));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v4, -1));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v6, 129));
        Assert.Throws<ArgumentException>(() => client.DeleteAddress(1, v4, 40));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v4, 24, new AddressOptions { Peer = v6 }));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v6, 64, new AddressOptions { Broadcast = v4 }));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v6, 64, new AddressOptions { Label = "x" }));
        Assert.Throws<ArgumentException>(() => client.AddAddress(1, v4, 24, new AddressOptions { Label = "sixteen-chars-xx" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.AddAddress(0, v4, 24));
        Assert.Throws<ArgumentException>(() => client.ListAddresses(family: System.Net.Sockets.AddressFamily.AppleTalk));
    }

    [Fact]
    public void RouteArgumentsAreRefusedBeforeAnySyscall()
    {
        RtnetlinkClient client = DisposedClient();
        IPNetwork v4 = IPNetwork.Parse("10.50.0.0/16");
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, Gateway = IPAddress.Parse("fd00::1") }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, PreferredSource = IPAddress.Parse("fd00::1") }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, OutputIndex = 0 }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, NextHops = [] }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, NextHops = [new RouteNextHop(IPAddress.Parse("10.0.0.1"), 1, 0)] }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, NextHops = [new RouteNextHop(null, 0)] }));
        Assert.Throws<ArgumentException>(() => client.AddRoute(new Route { Destination = v4, Gateway = IPAddress.Parse("10.0.0.1"), NextHops = [new RouteNextHop(IPAddress.Parse("10.0.0.2"))] }));
        Assert.Throws<ArgumentException>(() => client.DeleteRoute(new Route { Destination = v4, Gateway = IPAddress.Parse("fd00::1") }));
    }

    [Fact]
    public void NeighbourArgumentsAreRefusedBeforeAnySyscall()
    {
        RtnetlinkClient client = DisposedClient();
        Assert.Throws<ArgumentException>(() => client.AddNeighbour(1, IPAddress.Parse("10.0.0.1"), PhysicalAddress.None));
        Assert.Throws<ArgumentException>(() => client.AddNeighbour(1, IPAddress.Parse("10.0.0.1"), new PhysicalAddress(new byte[33])));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.DeleteNeighbour(0, IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void KernelRefusalsCarryErrnoKernelTextAndOperation()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        Link br = client.CreateBridge("brx");

        NetlinkException exists = Assert.Throws<NetlinkException>(() => client.CreateBridge("brx"));
        Assert.Equal(Errno.EEXIST, exists.Errno);
        Assert.Equal("RTM_NEWLINK bridge brx", exists.Operation);

        NetlinkException mtu = Assert.Throws<NetlinkException>(() => client.SetLinkMtu(br.Index, 70000));
        Assert.Equal(Errno.EINVAL, mtu.Errno);
        Assert.False(string.IsNullOrEmpty(mtu.KernelMessage));
        Assert.Contains(mtu.KernelMessage!, mtu.Message, StringComparison.Ordinal);
        Assert.Equal($"RTM_NEWLINK index {br.Index} mtu 70000", mtu.Operation);

        NetlinkException nodev = Assert.Throws<NetlinkException>(() => client.DeleteLink("nosuch0"));
        Assert.Equal(Errno.ENODEV, nodev.Errno);
        Assert.Equal("ENODEV", nodev.ErrorName);

        NetlinkException badPrefix = Assert.Throws<NetlinkException>(() => client.AddRoute(new Route
        {
            Destination = IPNetwork.Parse("10.50.0.0/16"),
            Gateway = IPAddress.Parse("10.99.0.1"),
        }));
        Assert.Equal(Errno.ENETUNREACH, badPrefix.Errno);
        Assert.Equal("Nexthop has invalid gateway", badPrefix.KernelMessage);
    }

    [Fact]
    public void UnsupportedLinkKindSaysNotSupportedByThisKernel()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        foreach (string kind in new[] { "dummy", "bond", "vrf" })
        {
            NetlinkException error = Assert.Throws<NetlinkException>(() => client.CreateLink("k0", kind));
            Assert.Equal(Errno.EOPNOTSUPP, error.Errno);
            Assert.Contains($"link kind \"{kind}\" is not supported by this kernel", error.Message, StringComparison.Ordinal);
            Assert.Equal("Unknown device type", error.KernelMessage);
        }

        Assert.Equal(1, ns.IpJson("link show").GetArrayLength());
    }
}

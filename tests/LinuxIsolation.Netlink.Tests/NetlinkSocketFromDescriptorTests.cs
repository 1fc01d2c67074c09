using System;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary><see cref="NetlinkSocket.FromDescriptor"/>: a socket made elsewhere (another namespace) becomes a NetlinkSocket.</summary>
public class NetlinkSocketFromDescriptorTests
{
    [Fact]
    public void AnUnboundRouteSocketIsConfiguredBoundAndOwned()
    {
        int fd = Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, (int)NetlinkProtocol.Route);
        Assert.True(fd >= 0);
        var descriptor = new SafeFileDescriptor(fd, ownsHandle: true);
        using (NetlinkSocket socket = NetlinkSocket.FromDescriptor(descriptor, NetlinkProtocol.Route))
        {
            Assert.Equal(NetlinkProtocol.Route, socket.Protocol);
            Assert.NotEqual(0u, socket.PortId);
            Assert.Same(descriptor, socket.Handle);
            using var client = new LinuxIsolation.Netlink.Rtnetlink.RtnetlinkClient(socket, ownsSocket: false);
            Assert.Contains(client.ListLinks(), l => l.Name == "lo");
        }

        Assert.True(descriptor.IsClosed);
    }

    [Fact]
    public void AnotherProtocolOrFamilyIsRefusedAndTheDescriptorClosed()
    {
        int fd = Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, (int)NetlinkProtocol.Netfilter);
        var netfilter = new SafeFileDescriptor(fd, ownsHandle: true);
        var e = Assert.Throws<ArgumentException>(() => NetlinkSocket.FromDescriptor(netfilter, NetlinkProtocol.Route));
        Assert.Contains("protocol is 12", e.Message, StringComparison.Ordinal);
        Assert.True(netfilter.IsClosed);

        int efd = Interop.eventfd(0, Interop.EFD_CLOEXEC);
        var notASocket = new SafeFileDescriptor(efd, ownsHandle: true);
        Assert.Contains("not an AF_NETLINK socket", Assert.Throws<ArgumentException>(() => NetlinkSocket.FromDescriptor(notASocket, NetlinkProtocol.Route)).Message, StringComparison.Ordinal);
        Assert.True(notASocket.IsClosed);

        Assert.Throws<ArgumentNullException>(() => NetlinkSocket.FromDescriptor(null!, NetlinkProtocol.Route));
        var closed = new SafeFileDescriptor(-1, ownsHandle: true);
        Assert.Throws<ArgumentException>(() => NetlinkSocket.FromDescriptor(closed, NetlinkProtocol.Route));
    }
}

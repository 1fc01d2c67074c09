using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: the event monitor against the kernel, in private namespaces.</summary>
public class MonitorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<RtnetlinkEvent> NextMatching(IAsyncEnumerator<RtnetlinkEvent> events, Func<RtnetlinkEvent, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
        {
            if (match(events.Current))
            {
                return events.Current;
            }
        }

        throw new InvalidOperationException("The event stream ended before the expected event.");
    }

    [Fact]
    public async Task LinkAddressRouteAndNeighbourChangesArriveInOrderAndDisposeEndsTheStream()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        RtnetlinkMonitor monitor = new(ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route)));
        IAsyncEnumerator<RtnetlinkEvent> events = monitor.ReadAllAsync().GetAsyncEnumerator();
        try
        {
            Link eth = client.CreateVeth("ev0", "ev1");
            RtnetlinkEvent created = await NextMatching(events, e => e.Kind == RtnetlinkEventKind.LinkChanged && e.Link!.Name == "ev0");
            Assert.Equal(eth.Index, created.Link!.Index);

            client.SetLinkUp(eth.Index);
            client.SetLinkUp(client.GetLink("ev1").Index);
            await NextMatching(events, e => e.Kind == RtnetlinkEventKind.LinkChanged && e.Link!.Name == "ev0" && e.Link.IsUp);

            client.AddAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);
            RtnetlinkEvent address = await NextMatching(events, e => e.Kind == RtnetlinkEventKind.AddressAdded);
            Assert.Equal(IPAddress.Parse("10.201.0.4"), address.Address!.Address);
            Assert.Equal(eth.Index, address.Address.LinkIndex);

            client.AddRoute(new Route { Destination = IPNetwork.Parse("10.50.0.0/16"), Gateway = IPAddress.Parse("10.201.0.1") });
            RtnetlinkEvent route = await NextMatching(events, e => e.Kind == RtnetlinkEventKind.RouteAdded && e.Route!.Destination == IPNetwork.Parse("10.50.0.0/16"));
            Assert.Equal(IPAddress.Parse("10.201.0.1"), route.Route!.Gateway);

            client.AddNeighbour(eth.Index, IPAddress.Parse("10.201.0.9"), System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-09"));
            RtnetlinkEvent neighbour = await NextMatching(events, e => e.Kind == RtnetlinkEventKind.NeighbourChanged);
            Assert.Equal(IPAddress.Parse("10.201.0.9"), neighbour.Neighbour!.Destination);

            client.DeleteAddress(eth.Index, IPAddress.Parse("10.201.0.4"), 24);
            await NextMatching(events, e => e.Kind == RtnetlinkEventKind.AddressDeleted && e.Address!.Address.Equals(IPAddress.Parse("10.201.0.4")));

            client.DeleteLink(eth.Index);
            await NextMatching(events, e => e.Kind == RtnetlinkEventKind.LinkDeleted && e.Link!.Name == "ev0");

            monitor.Dispose();
            using var timeout = new CancellationTokenSource(Patience);
            while (await events.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
            {
                // Drain what was queued before the dispose; the stream must then end.
            }
        }
        finally
        {
            monitor.Dispose();
            await events.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOverrunIsReportedNotSilentlyDropped()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();

        // A tiny socket buffer and a one-event queue: a burst the consumer does not read overflows the kernel's buffer.
        // The socket is made inside the namespace; the monitor (and its thread) outside it.
        NetlinkSocket socket = ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route, new NetlinkSocketOptions { SocketReceiveBufferSize = 4096 }));
        using var monitor = new RtnetlinkMonitor(socket, RtnetlinkEventGroups.All, ownsSocket: true, capacity: 1);
        Link eth = client.CreateVeth("ov0", "ov1");
        for (int i = 0; i < 200; i++)
        {
            client.AddAddress(eth.Index, IPAddress.Parse($"10.{100 + (i / 250)}.{i % 250}.1"), 32);
        }

        bool overrun = false;
        using var timeout = new CancellationTokenSource(Patience);
        await foreach (RtnetlinkEvent e in monitor.ReadAllAsync(timeout.Token))
        {
            if (e.Kind == RtnetlinkEventKind.Overrun)
            {
                overrun = true;
                break;
            }
        }

        Assert.True(overrun);

        // The monitor goes on after an overrun. The kernel keeps dropping (it reports the loss once) until the
        // backlog is read, so keep changing the MTU until a change written after the consumer caught up arrives.
        uint mtu = 1300;
        bool caughtUp = false;
        while (!caughtUp)
        {
            client.SetLinkMtu(eth.Index, ++mtu);
            using var brief = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            brief.CancelAfter(500);
            try
            {
                while (!caughtUp)
                {
                    RtnetlinkEvent e = await monitor.ReadAsync(brief.Token);
                    caughtUp = e is { Kind: RtnetlinkEventKind.LinkChanged, Link: { Name: "ov0" } link } && link.Mtu == mtu;
                }
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                // Nothing more for now: make another change.
            }
        }

        Assert.Equal(mtu, client.GetLink(eth.Index).Mtu);
    }

    [Fact]
    public async Task CancellationEndsAnEnumerationWithoutStoppingTheMonitor()
    {
        using var ns = TestNetworkNamespace.Create();
        using var monitor = new RtnetlinkMonitor(ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route)), RtnetlinkEventGroups.Links);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (RtnetlinkEvent e in monitor.ReadAllAsync(cancel.Token))
            {
            }
        });

        ns.Exec("ip link add after0 type bridge");
        using var timeout = new CancellationTokenSource(Patience);
        RtnetlinkEvent next = await monitor.ReadAsync(timeout.Token);
        Assert.Equal("after0", next.Link!.Name);
        Assert.Equal(RtnetlinkEventGroups.Links, monitor.Groups);
    }

    [Fact]
    public void AFailedSubscriptionLeavesTheCallersSocketAsItWas()
    {
        using NetlinkSocket socket = FakeNetlinkTransport.Socket(_ => [], out FakeNetlinkTransport transport);
        var calls = new List<(int Name, int Group)>();
        transport.OnSetOption = (level, name, value) =>
        {
            Assert.Equal(270, level);
            calls.Add((name, value));
            if (name == 1 && value == 5)
            {
                throw new NetlinkException(22, "NETLINK_ADD_MEMBERSHIP, 5");
            }
        };

        // Links (group 1) and IPv4 addresses (group 5) are selected; joining 5 fails, so 1 is left again.
        NetlinkException e = Assert.Throws<NetlinkException>(() => new RtnetlinkMonitor(socket, RtnetlinkEventGroups.Links | RtnetlinkEventGroups.IPv4Addresses, ownsSocket: false));
        Assert.Equal(22, e.Errno);
        Assert.Equal([(1, 1), (1, 5), (2, 1)], calls);
    }

    [Fact]
    public void DisposeLeavesTheGroupsItJoinedOnASocketItDoesNotOwn()
    {
        using NetlinkSocket socket = FakeNetlinkTransport.Socket(_ => [], out FakeNetlinkTransport transport);
        var calls = new List<(int Name, int Group)>();
        transport.OnSetOption = (_, name, value) =>
        {
            lock (calls)
            {
                calls.Add((name, value));
            }
        };
        var monitor = new RtnetlinkMonitor(socket, RtnetlinkEventGroups.Links | RtnetlinkEventGroups.IPv6Routes | RtnetlinkEventGroups.Neighbours, ownsSocket: false);
        Assert.Equal([(1, 1), (1, 11), (1, 3)], calls);
        monitor.Dispose();
        Assert.Equal([(1, 1), (1, 11), (1, 3), (2, 3), (2, 11), (2, 1)], calls);
    }

    private static int Count(NetlinkReader reader)
    {
        int n = 0;
        foreach (NetlinkMessage _ in reader)
        {
            n++;
        }

        return n;
    }

    [Fact]
    public void ASocketGivenBackByAMonitorReceivesNoMoreEvents()
    {
        using var ns = TestNetworkNamespace.Create();
        using RtnetlinkClient client = ns.OpenClient();
        using NetlinkSocket socket = ns.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Route));
        new RtnetlinkMonitor(socket, RtnetlinkEventGroups.All, ownsSocket: false).Dispose();

        // Before the fix the socket stayed in every group and this link change queued events for it.
        client.CreateVeth("gb0", "gb1");
        Assert.Equal(0, Count(socket.ReceiveEvents(500)));

        // The same change is seen once the caller subscribes the socket itself.
        socket.JoinGroup(1);
        client.SetLinkMtu(client.GetLink("gb0").Index, 1400);
        Assert.NotEqual(0, Count(socket.ReceiveEvents(5000)));
    }
}

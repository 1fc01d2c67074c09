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
}

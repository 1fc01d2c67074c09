namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>What an <see cref="RtnetlinkEvent"/> reports.</summary>
public enum RtnetlinkEventKind
{
    /// <summary>
    /// Events were lost: the socket's receive buffer overflowed (<c>ENOBUFS</c>). The kernel reports this once
    /// and goes on dropping notifications until the backlog has been read, so whatever state the consumer tracks
    /// is stale from here: keep reading, and dump the state again. The monitor keeps running.
    /// </summary>
    Overrun = 0,
    /// <summary>A link was created or changed (<c>RTM_NEWLINK</c>); see <see cref="RtnetlinkEvent.Link"/>.</summary>
    LinkChanged,
    /// <summary>A link was deleted or left the namespace (<c>RTM_DELLINK</c>).</summary>
    LinkDeleted,
    /// <summary>An address was added or changed (<c>RTM_NEWADDR</c>); see <see cref="RtnetlinkEvent.Address"/>.</summary>
    AddressAdded,
    /// <summary>An address was removed (<c>RTM_DELADDR</c>).</summary>
    AddressDeleted,
    /// <summary>A route was added or changed (<c>RTM_NEWROUTE</c>); see <see cref="RtnetlinkEvent.Route"/>.</summary>
    RouteAdded,
    /// <summary>A route was removed (<c>RTM_DELROUTE</c>).</summary>
    RouteDeleted,
    /// <summary>A neighbour entry was added or changed (<c>RTM_NEWNEIGH</c>); see <see cref="RtnetlinkEvent.Neighbour"/>.</summary>
    NeighbourChanged,
    /// <summary>A neighbour entry was removed (<c>RTM_DELNEIGH</c>).</summary>
    NeighbourDeleted,
}

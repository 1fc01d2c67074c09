namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// One change notification read by an <see cref="RtnetlinkMonitor"/>: its kind and the object it is about
/// (exactly one of <see cref="Link"/>, <see cref="Address"/>, <see cref="Route"/>, <see cref="Neighbour"/> is
/// set, none for <see cref="RtnetlinkEventKind.Overrun"/>).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Link">The link, for link events.</param>
/// <param name="Address">The address, for address events.</param>
/// <param name="Route">The route, for route events.</param>
/// <param name="Neighbour">The neighbour entry, for neighbour events.</param>
public sealed record RtnetlinkEvent(RtnetlinkEventKind Kind, Link? Link = null, InterfaceAddress? Address = null, Route? Route = null, Neighbour? Neighbour = null)
{
    /// <summary>The event that reports lost events.</summary>
    public static RtnetlinkEvent Overrun { get; } = new(RtnetlinkEventKind.Overrun);
}

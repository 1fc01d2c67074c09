namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>One notification read by a <see cref="ConntrackMonitor"/>: its kind and the entry (null for <see cref="ConntrackEventKind.Overrun"/>).</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Entry">The entry as the kernel described it in the notification: update events carry only what changed
/// besides the tuples, id, status and timeout (e.g. no mark unless it is set).</param>
public sealed record ConntrackEvent(ConntrackEventKind Kind, ConntrackEntry? Entry = null)
{
    /// <summary>The event that reports lost events.</summary>
    public static ConntrackEvent Overrun { get; } = new(ConntrackEventKind.Overrun);
}

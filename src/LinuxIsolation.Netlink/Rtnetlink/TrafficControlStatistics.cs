namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// What a qdisc or filter action has done (<c>TCA_STATS2</c>: <c>TCA_STATS_BASIC</c> and <c>TCA_STATS_QUEUE</c>), as
/// <c>tc -s qdisc show</c> prints it (<c>Sent B bytes P pkt (dropped D, overlimits O requeues R) backlog Bb Np</c>).
/// </summary>
/// <param name="Bytes">Bytes sent (dequeued).</param>
/// <param name="Packets">Packets sent.</param>
/// <param name="Drops">Packets dropped.</param>
/// <param name="Overlimits">Times a packet could not be sent because the qdisc was over its limit (for tbf: the bucket was empty).</param>
/// <param name="Requeues">Packets put back in the queue.</param>
/// <param name="Backlog">Bytes waiting in the queue.</param>
/// <param name="QueueLength">Packets waiting in the queue.</param>
public readonly record struct TrafficControlStatistics(ulong Bytes, ulong Packets, uint Drops, uint Overlimits, uint Requeues, uint Backlog, uint QueueLength);

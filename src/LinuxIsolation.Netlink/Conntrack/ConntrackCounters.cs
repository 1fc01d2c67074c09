namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// Packets and bytes of one direction of a connection (<c>CTA_COUNTERS_ORIG</c> / <c>CTA_COUNTERS_REPLY</c>), sent
/// only when accounting is on in the entry's namespace (<c>sysctl net.netfilter.nf_conntrack_acct=1</c>, or an
/// nf_tables <c>ct</c> counter); <c>conntrack -L</c> prints them as <c>packets=N bytes=N</c>.
/// </summary>
/// <param name="Packets">Packets seen in this direction.</param>
/// <param name="Bytes">Bytes seen in this direction (layer-3 lengths).</param>
public readonly record struct ConntrackCounters(ulong Packets, ulong Bytes);

using System;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// One entry of the connection tracking table, as <c>conntrack -L</c> lists it: the original and reply tuples, the
/// status, timeout, mark, zone and the rest. Attributes the kernel did not send are null.
/// </summary>
/// <param name="Family">The entry's layer-3 family (<c>nfgen_family</c>).</param>
/// <param name="Original">The tuple of the direction that opened the connection (<c>CTA_TUPLE_ORIG</c>).</param>
/// <param name="Reply">The tuple replies are expected with (<c>CTA_TUPLE_REPLY</c>); after NAT it differs from the
/// original reversed (e.g. a DNAT'ed published port shows the container's address as the reply's source).</param>
public sealed record ConntrackEntry(AddressFamily Family, ConntrackTuple Original, ConntrackTuple Reply)
{
    /// <summary>The status bits (<c>CTA_STATUS</c>).</summary>
    public ConntrackStatus Status { get; init; }

    /// <summary>Seconds until the entry expires (<c>CTA_TIMEOUT</c>); null when the kernel sent none (an offloaded entry, or a destroy event of an entry that had run out).</summary>
    public uint? Timeout { get; init; }

    /// <summary>The connection mark (<c>CTA_MARK</c>, <c>mark=</c>); listings always carry it, events only when it is set or changed.</summary>
    public uint? Mark { get; init; }

    /// <summary>The conntrack zone (<c>CTA_ZONE</c>, <c>zone=</c>); 0, the default zone, when the kernel sent none (it never sends zone 0).</summary>
    public ushort Zone { get; init; }

    /// <summary>The kernel's id of the entry (<c>CTA_ID</c>); a delete that names it removes only this incarnation of the tuple.</summary>
    public uint? Id { get; init; }

    /// <summary>The entry's reference count (<c>CTA_USE</c>, <c>use=</c>).</summary>
    public uint? Use { get; init; }

    /// <summary>The TCP state (<c>CTA_PROTOINFO_TCP_STATE</c>), for TCP entries.</summary>
    public TcpConntrackState? TcpState { get; init; }

    /// <summary>Counters of the original direction (<c>CTA_COUNTERS_ORIG</c>), when accounting is on.</summary>
    public ConntrackCounters? OriginalCounters { get; init; }

    /// <summary>Counters of the reply direction (<c>CTA_COUNTERS_REPLY</c>), when accounting is on.</summary>
    public ConntrackCounters? ReplyCounters { get; init; }

    /// <summary>
    /// The connection labels (<c>CTA_LABELS</c>, 128 bits; label N is bit N, as <c>nft ct label set N</c> and
    /// <c>conntrack -l N</c> number them); null when none is set.
    /// </summary>
    public UInt128? Labels { get; init; }

    /// <summary>The helper attached to the connection (<c>CTA_HELP_NAME</c>, <c>helper=</c>), e.g. "ftp".</summary>
    public string? Helper { get; init; }

    /// <summary>When the entry was created, in nanoseconds of <c>CLOCK_REALTIME</c> (<c>CTA_TIMESTAMP_START</c>), when timestamping is on (<c>net.netfilter.nf_conntrack_timestamp=1</c>).</summary>
    public ulong? StartTimestamp { get; init; }

    /// <summary>When the entry was destroyed (<c>CTA_TIMESTAMP_STOP</c>), in destroy events with timestamping on.</summary>
    public ulong? StopTimestamp { get; init; }

    /// <summary>The entry's layer-4 protocol (that of <see cref="Original"/>).</summary>
    public ProtocolType Protocol => Original.Protocol;

    /// <summary>The entry much as <c>conntrack -L</c> prints it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(ConntrackTuple.ProtocolName(Protocol)).Append(' ').Append(((int)Protocol).ToString(CultureInfo.InvariantCulture));
        if (Timeout is uint t)
        {
            sb.Append(' ').Append(t.ToString(CultureInfo.InvariantCulture));
        }

        if (TcpState is TcpConntrackState state)
        {
            sb.Append(' ').Append(state.ToString().ToUpperInvariant());
        }

        sb.Append(' ').Append(Original);
        if ((Status & ConntrackStatus.SeenReply) == 0)
        {
            sb.Append(" [UNREPLIED]");
        }

        sb.Append(' ').Append(Reply);
        if ((Status & ConntrackStatus.Assured) != 0)
        {
            sb.Append(" [ASSURED]");
        }

        if (Mark is uint m)
        {
            sb.Append(" mark=").Append(m.ToString(CultureInfo.InvariantCulture));
        }

        if (Zone != 0)
        {
            sb.Append(" zone=").Append(Zone.ToString(CultureInfo.InvariantCulture));
        }

        if (Use is uint u)
        {
            sb.Append(" use=").Append(u.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

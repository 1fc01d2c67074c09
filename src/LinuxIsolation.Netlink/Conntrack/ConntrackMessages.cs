using System;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Native;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using static LinuxIsolation.Netlink.Conntrack.Native.Ctnetlink;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// Encoders and decoder of ctnetlink messages (<c>NETLINK_NETFILTER</c>, subsystem <c>NFNL_SUBSYS_CTNETLINK</c>):
/// the requests <c>conntrack -L/-G/-D/-F</c> send, byte for byte as conntrack-tools 1.4.7 writes them (nests flagged
/// <c>NLA_F_NESTED</c>, values big-endian), and the entries the kernel answers with or multicasts. Encoders allocate
/// nothing.
/// </summary>
public static class ConntrackMessages
{
    /// <summary>Size of <c>struct nfgenmsg</c>.</summary>
    public const int FamilyHeaderSize = 4;

    /// <summary>The room a request of this class needs at most (a get or delete with an IPv6 tuple takes 112 bytes).</summary>
    public const int MaxRequestSize = 512;

    /// <summary>
    /// Writes the dump request for the whole table, or one family's part of it (the kernel filters by
    /// <c>nfgen_family</c>). Equivalent to: <c>conntrack -L [-f ipv4|ipv6]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    public static void WriteDump(ref NetlinkWriter writer, AddressFamily family = AddressFamily.Unspecified)
    {
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_GET, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, family, NFNETLINK_V0);
        writer.EndMessage(m);
    }

    /// <summary>
    /// Writes a dump request carrying every condition of <paramref name="filter"/> the kernel can evaluate: the family
    /// (<c>nfgen_family</c>), <c>CTA_MARK</c> with <c>CTA_MARK_MASK</c> (always both: kernels before 5.8 ignore a mark
    /// without its mask), <c>CTA_ZONE</c> (honoured in dumps from Linux 6.8, ignored before), and for a filter of one
    /// family, <c>CTA_FILTER</c> with the original and reply tuples it names (Linux 5.8; IPv4 addresses, the protocol and
    /// TCP/UDP ports; IPv6 addresses are left to the caller, see <see cref="ConntrackFilter"/>). Kernels ignore what they
    /// do not know, so the caller must check the entries it gets back with <see cref="ConntrackFilter.Matches"/>, as
    /// <see cref="ConntrackClient.ListEntries"/> does. Equivalent to: <c>conntrack -L [-f F] [-m MARK/MASK]</c> (conntrack
    /// 1.4.7 evaluates its other options itself, after an unfiltered dump).
    /// </summary>
    /// <exception cref="ArgumentException">The filter is inconsistent (see <see cref="ConntrackFilter.Validate"/>).</exception>
    public static void WriteDump(ref NetlinkWriter writer, ConntrackFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_GET, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump, filter.EffectiveFamily, NFNETLINK_V0);
        WriteConditions(ref writer, filter, KernelTupleConditions(filter));
        writer.EndMessage(m);
    }

    /// <summary>
    /// Writes the request for the one entry whose original tuple is <paramref name="original"/> in zone
    /// <paramref name="zone"/>. Equivalent to: <c>conntrack -G -p PROTO -s SRC -d DST --sport P --dport Q [-w ZONE]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The tuple is incomplete (see <see cref="ConntrackTuple.Validate"/>).</exception>
    public static void WriteGet(ref NetlinkWriter writer, ConntrackTuple original, ushort zone = 0)
    {
        ArgumentNullException.ThrowIfNull(original);
        original.Validate(nameof(original));
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_GET, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, original.Family, NFNETLINK_V0);
        WriteTuple(ref writer, CTA_TUPLE_ORIG, original);
        if (zone != 0)
        {
            writer.WriteUInt16BigEndian(CTA_ZONE, zone);
        }

        writer.EndMessage(m);
    }

    /// <summary>
    /// Writes the request that deletes the entry whose original tuple is <paramref name="original"/> in zone
    /// <paramref name="zone"/>; with <paramref name="id"/>, only if the entry found still has that id (a connection
    /// re-created with the same tuple is left alone). Equivalent to: <c>conntrack -D -p PROTO -s SRC -d DST --sport P --dport Q [-w ZONE]</c>
    /// (conntrack sends back the whole entry it listed; the kernel reads only the tuple, the zone and the id).
    /// </summary>
    /// <exception cref="ArgumentException">The tuple is incomplete (see <see cref="ConntrackTuple.Validate"/>).</exception>
    public static void WriteDelete(ref NetlinkWriter writer, ConntrackTuple original, ushort zone = 0, uint? id = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        original.Validate(nameof(original));
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_DELETE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, original.Family, NFNETLINK_V0);
        WriteTuple(ref writer, CTA_TUPLE_ORIG, original);
        if (zone != 0)
        {
            writer.WriteUInt16BigEndian(CTA_ZONE, zone);
        }

        if (id is uint i)
        {
            writer.WriteUInt32BigEndian(CTA_ID, i);
        }

        writer.EndMessage(m);
    }

    /// <summary>
    /// Writes the request that empties the table, or one family's part of it. Equivalent to: <c>conntrack -F [-f ipv4|ipv6]</c>.
    /// For one family the header's version is <c>NFNETLINK_V1</c>, which makes the kernel honour the family (Linux 4.19):
    /// conntrack 1.4.7 sends version 0 there, and the kernel then flushes both families.
    /// </summary>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    public static void WriteFlush(ref NetlinkWriter writer, AddressFamily family = AddressFamily.Unspecified)
    {
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_DELETE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, family,
            family == AddressFamily.Unspecified ? NFNETLINK_V0 : NFNETLINK_V1);
        writer.EndMessage(m);
    }

    /// <summary>
    /// Writes a flush that the kernel itself restricts to the entries <paramref name="filter"/> selects. Only for filters
    /// <see cref="CanFlushInKernel"/> accepts, on kernels that evaluate every condition in a flush: a kernel that ignores
    /// one flushes more than asked (the zone before 6.8), and one without <c>CTA_FILTER</c> in flushes refuses the partial
    /// tuple with EINVAL.
    /// </summary>
    internal static void WriteFlush(ref NetlinkWriter writer, ConntrackFilter filter)
    {
        filter.Validate(nameof(filter));
        if (!CanFlushInKernel(filter))
        {
            throw new ArgumentException("This filter has conditions the kernel cannot evaluate in a flush.", nameof(filter));
        }

        AddressFamily family = filter.EffectiveFamily;
        NetlinkMessageToken m = Begin(ref writer, IPCTNL_MSG_CT_DELETE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, family,
            family == AddressFamily.Unspecified ? NFNETLINK_V0 : NFNETLINK_V1);
        WriteConditions(ref writer, filter, KernelTupleConditions(filter));
        writer.EndMessage(m);
    }

    /// <summary>
    /// True when the kernel can evaluate every condition of <paramref name="filter"/> in a flush: tuple conditions only
    /// for one family, on IPv4 addresses (the kernel's <c>CTA_FILTER</c> match of IPv6 addresses is inverted: seen on
    /// 6.18, in dumps and flushes), on ports only of TCP and UDP (others are left to the library), and never a complete
    /// original tuple, which a kernel without <c>CTA_FILTER</c> in flushes would take for an exact delete.
    /// </summary>
    internal static bool CanFlushInKernel(ConntrackFilter filter)
    {
        if (!filter.HasTupleConditions)
        {
            return true;
        }

        bool completeOriginal = filter.OriginalSource is not null && filter.OriginalDestination is not null && filter.Protocol is ProtocolType p
            && (!ConntrackTuple.HasPorts(p) || (filter.OriginalSourcePort is not null && filter.OriginalDestinationPort is not null));
        return !completeOriginal && KernelTupleConditions(filter).Complete;
    }

    /// <summary>Decodes an entry from a dump reply, a get reply or an event (<c>IPCTNL_MSG_CT_NEW</c> or <c>IPCTNL_MSG_CT_DELETE</c>).</summary>
    /// <returns>False when the message is not a ctnetlink entry message.</returns>
    /// <exception cref="NetlinkDecodeException">The message is malformed (a tuple or an address is missing or of the wrong size).</exception>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out ConntrackEntry? entry)
    {
        if (message.Type != Type(IPCTNL_MSG_CT_NEW) && message.Type != Type(IPCTNL_MSG_CT_DELETE))
        {
            entry = null;
            return false;
        }

        entry = Parse(message);
        return true;
    }

    /// <summary>Decodes an entry (any message type: the layout is that of <c>IPCTNL_MSG_CT_NEW</c>).</summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed (a tuple or an address is missing or of the wrong size).</exception>
    public static ConntrackEntry Parse(NetlinkMessage message)
    {
        NfGenMsg header = message.ReadHeader<NfGenMsg>();
        ConntrackTuple? original = null, reply = null;
        var status = ConntrackStatus.None;
        uint? timeout = null, mark = null, id = null, use = null;
        ushort zone = 0;
        TcpConntrackState? tcp = null;
        ConntrackCounters? originalCounters = null, replyCounters = null;
        UInt128? labels = null;
        string? helper = null;
        ulong? start = null, stop = null;
        foreach (NetlinkAttribute a in message.GetAttributes(FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case CTA_TUPLE_ORIG: original = ParseTuple(a, "CTA_TUPLE_ORIG"); break;
                case CTA_TUPLE_REPLY: reply = ParseTuple(a, "CTA_TUPLE_REPLY"); break;
                case CTA_STATUS: status = (ConntrackStatus)a.GetUInt32BigEndian(); break;
                case CTA_TIMEOUT: timeout = a.GetUInt32BigEndian(); break;
                case CTA_MARK: mark = a.GetUInt32BigEndian(); break;
                case CTA_ZONE: zone = a.GetUInt16BigEndian(); break;
                case CTA_ID: id = a.GetUInt32BigEndian(); break;
                case CTA_USE: use = a.GetUInt32BigEndian(); break;
                case CTA_PROTOINFO: tcp = ParseTcpState(a) ?? tcp; break;
                case CTA_COUNTERS_ORIG: originalCounters = ParseCounters(a); break;
                case CTA_COUNTERS_REPLY: replyCounters = ParseCounters(a); break;
                case CTA_LABELS: labels = ParseLabels(a.Value); break;
                case CTA_HELP:
                    if (a.GetNested().TryFind(CTA_HELP_NAME, out NetlinkAttribute name))
                    {
                        helper = name.GetString();
                    }

                    break;
                case CTA_TIMESTAMP:
                    foreach (NetlinkAttribute t in a.GetNested())
                    {
                        if (t.Type == CTA_TIMESTAMP_START)
                        {
                            start = t.GetUInt64BigEndian();
                        }
                        else if (t.Type == CTA_TIMESTAMP_STOP)
                        {
                            stop = t.GetUInt64BigEndian();
                        }
                    }

                    break;
            }
        }

        if (original is null || reply is null)
        {
            ThrowHelper.ThrowDecode($"A conntrack entry (message type {message.Type}) without {(original is null ? "CTA_TUPLE_ORIG" : "CTA_TUPLE_REPLY")}.");
        }

        AddressFamily family = header.nfgen_family switch
        {
            AddressFamilies.AF_INET => AddressFamily.InterNetwork,
            AddressFamilies.AF_INET6 => AddressFamily.InterNetworkV6,
            _ => original.Family,
        };
        return new ConntrackEntry(family, original, reply)
        {
            Status = status,
            Timeout = timeout,
            Mark = mark,
            Zone = zone,
            Id = id,
            Use = use,
            TcpState = tcp,
            OriginalCounters = originalCounters,
            ReplyCounters = replyCounters,
            Labels = labels,
            Helper = helper,
            StartTimestamp = start,
            StopTimestamp = stop,
        };
    }

    private static NetlinkMessageToken Begin(ref NetlinkWriter writer, ushort ctMessage, NetlinkMessageFlags flags, AddressFamily family, byte version)
    {
        byte kernelFamily = AddressMessages.ToKernelFamily(family);
        NetlinkMessageToken token = writer.BeginMessage(Type(ctMessage), flags);
        writer.WriteHeader(new NfGenMsg { nfgen_family = kernelFamily, version = version, res_id = 0 });
        return token;
    }

    /// <summary>Writes <c>TYPE { CTA_TUPLE_IP { SRC, DST }, CTA_TUPLE_PROTO { NUM, ports | ICMP code, type, id } }</c> in conntrack's order.</summary>
    private static void WriteTuple(ref NetlinkWriter writer, ushort type, ConntrackTuple tuple)
    {
        bool v6 = tuple.Family == AddressFamily.InterNetworkV6;
        NetlinkNestToken outer = writer.BeginNested((ushort)(type | NLA_F_NESTED));
        NetlinkNestToken ip = writer.BeginNested(CTA_TUPLE_IP | NLA_F_NESTED);
        writer.WriteIPAddress(v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC, tuple.Source);
        writer.WriteIPAddress(v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST, tuple.Destination);
        writer.EndNested(ip);
        NetlinkNestToken proto = writer.BeginNested(CTA_TUPLE_PROTO | NLA_F_NESTED);
        writer.WriteUInt8(CTA_PROTO_NUM, (byte)tuple.Protocol);
        if (ConntrackTuple.HasPorts(tuple.Protocol))
        {
            writer.WriteUInt16BigEndian(CTA_PROTO_SRC_PORT, tuple.SourcePort!.Value);
            writer.WriteUInt16BigEndian(CTA_PROTO_DST_PORT, tuple.DestinationPort!.Value);
        }
        else if (ConntrackTuple.IsIcmp(tuple.Protocol))
        {
            bool icmp6 = tuple.Protocol == ProtocolType.IcmpV6;
            writer.WriteUInt8(icmp6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE, tuple.IcmpCode!.Value);
            writer.WriteUInt8(icmp6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE, tuple.IcmpType!.Value);
            writer.WriteUInt16BigEndian(icmp6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, tuple.IcmpId!.Value);
        }

        writer.EndNested(proto);
        writer.EndNested(outer);
    }

    /// <summary>The <c>CTA_FILTER</c> flags of each direction that the kernel evaluates correctly, and whether they cover every tuple condition.</summary>
    internal readonly record struct TupleConditions(uint Original, uint Reply, bool Complete);

    internal static TupleConditions KernelTupleConditions(ConntrackFilter filter)
    {
        AddressFamily family = filter.EffectiveFamily;
        if (!filter.HasTupleConditions || family == AddressFamily.Unspecified)
        {
            // CTA_FILTER needs nfgen_family to be IPv4 or IPv6 (EOPNOTSUPP otherwise).
            return new TupleConditions(0, 0, !filter.HasTupleConditions);
        }

        bool complete = true;
        bool kernelPorts = filter.Protocol is ProtocolType.Tcp or ProtocolType.Udp;
        bool kernelAddresses = family == AddressFamily.InterNetwork;
        uint Direction(IPAddress? source, IPAddress? destination, ushort? sourcePort, ushort? destinationPort, bool withProtocol)
        {
            uint flags = 0;
            if (source is not null)
            {
                flags |= kernelAddresses ? CTA_FILTER_F_CTA_IP_SRC : 0;
                complete &= kernelAddresses;
            }

            if (destination is not null)
            {
                flags |= kernelAddresses ? CTA_FILTER_F_CTA_IP_DST : 0;
                complete &= kernelAddresses;
            }

            if (sourcePort is not null)
            {
                flags |= kernelPorts ? CTA_FILTER_F_CTA_PROTO_SRC_PORT : 0;
                complete &= kernelPorts;
            }

            if (destinationPort is not null)
            {
                flags |= kernelPorts ? CTA_FILTER_F_CTA_PROTO_DST_PORT : 0;
                complete &= kernelPorts;
            }

            // Port flags need CTA_PROTO_NUM in the same direction.
            if (filter.Protocol is not null && (withProtocol || (flags & (CTA_FILTER_F_CTA_PROTO_SRC_PORT | CTA_FILTER_F_CTA_PROTO_DST_PORT)) != 0))
            {
                flags |= CTA_FILTER_F_CTA_PROTO_NUM;
            }

            return flags;
        }

        uint original = Direction(filter.OriginalSource, filter.OriginalDestination, filter.OriginalSourcePort, filter.OriginalDestinationPort, withProtocol: true);
        uint reply = Direction(filter.ReplySource, filter.ReplyDestination, filter.ReplySourcePort, filter.ReplyDestinationPort, withProtocol: false);
        return new TupleConditions(original, reply, complete);
    }

    /// <summary>Writes the mark, zone and <c>CTA_FILTER</c> conditions, in the kernel's attribute order.</summary>
    private static void WriteConditions(ref NetlinkWriter writer, ConntrackFilter filter, TupleConditions tuple)
    {
        if (tuple.Original != 0)
        {
            WriteFilterTuple(ref writer, CTA_TUPLE_ORIG, tuple.Original, filter, filter.OriginalSource, filter.OriginalDestination, filter.OriginalSourcePort, filter.OriginalDestinationPort);
        }

        if (tuple.Reply != 0)
        {
            WriteFilterTuple(ref writer, CTA_TUPLE_REPLY, tuple.Reply, filter, filter.ReplySource, filter.ReplyDestination, filter.ReplySourcePort, filter.ReplyDestinationPort);
        }

        if (filter.Mark is uint mark)
        {
            writer.WriteUInt32BigEndian(CTA_MARK, mark);
        }

        if (filter.Zone is ushort zone)
        {
            writer.WriteUInt16BigEndian(CTA_ZONE, zone);
        }

        if (filter.Mark is not null)
        {
            writer.WriteUInt32BigEndian(CTA_MARK_MASK, filter.MarkMask);
        }

        if (tuple.Original != 0 || tuple.Reply != 0)
        {
            NetlinkNestToken f = writer.BeginNested(CTA_FILTER | NLA_F_NESTED);
            if (tuple.Original != 0)
            {
                writer.WriteUInt32(CTA_FILTER_ORIG_FLAGS, tuple.Original);
            }

            if (tuple.Reply != 0)
            {
                writer.WriteUInt32(CTA_FILTER_REPLY_FLAGS, tuple.Reply);
            }

            writer.EndNested(f);
        }
    }

    /// <summary>A partial tuple: only what <paramref name="flags"/> names (the kernel insists on those and reads nothing else).</summary>
    private static void WriteFilterTuple(ref NetlinkWriter writer, ushort type, uint flags, ConntrackFilter filter,
        IPAddress? source, IPAddress? destination, ushort? sourcePort, ushort? destinationPort)
    {
        NetlinkNestToken outer = writer.BeginNested((ushort)(type | NLA_F_NESTED));
        if ((flags & (CTA_FILTER_F_CTA_IP_SRC | CTA_FILTER_F_CTA_IP_DST)) != 0)
        {
            NetlinkNestToken ip = writer.BeginNested(CTA_TUPLE_IP | NLA_F_NESTED);
            if ((flags & CTA_FILTER_F_CTA_IP_SRC) != 0)
            {
                writer.WriteIPAddress(CTA_IP_V4_SRC, source!);
            }

            if ((flags & CTA_FILTER_F_CTA_IP_DST) != 0)
            {
                writer.WriteIPAddress(CTA_IP_V4_DST, destination!);
            }

            writer.EndNested(ip);
        }

        if ((flags & CTA_FILTER_F_CTA_PROTO_NUM) != 0)
        {
            NetlinkNestToken proto = writer.BeginNested(CTA_TUPLE_PROTO | NLA_F_NESTED);
            writer.WriteUInt8(CTA_PROTO_NUM, (byte)filter.Protocol!.Value);
            if ((flags & CTA_FILTER_F_CTA_PROTO_SRC_PORT) != 0)
            {
                writer.WriteUInt16BigEndian(CTA_PROTO_SRC_PORT, sourcePort!.Value);
            }

            if ((flags & CTA_FILTER_F_CTA_PROTO_DST_PORT) != 0)
            {
                writer.WriteUInt16BigEndian(CTA_PROTO_DST_PORT, destinationPort!.Value);
            }

            writer.EndNested(proto);
        }

        writer.EndNested(outer);
    }

    private static ConntrackTuple ParseTuple(NetlinkAttribute tuple, string name)
    {
        IPAddress? source = null, destination = null;
        int protocol = -1;
        ushort? sourcePort = null, destinationPort = null, icmpId = null;
        byte? icmpType = null, icmpCode = null;
        foreach (NetlinkAttribute part in tuple.GetNested())
        {
            if (part.Type == CTA_TUPLE_IP)
            {
                foreach (NetlinkAttribute a in part.GetNested())
                {
                    switch (a.Type)
                    {
                        case CTA_IP_V4_SRC: source = Address(a, 4, name); break;
                        case CTA_IP_V4_DST: destination = Address(a, 4, name); break;
                        case CTA_IP_V6_SRC: source = Address(a, 16, name); break;
                        case CTA_IP_V6_DST: destination = Address(a, 16, name); break;
                    }
                }
            }
            else if (part.Type == CTA_TUPLE_PROTO)
            {
                foreach (NetlinkAttribute a in part.GetNested())
                {
                    switch (a.Type)
                    {
                        case CTA_PROTO_NUM: protocol = a.GetUInt8(); break;
                        case CTA_PROTO_SRC_PORT: sourcePort = a.GetUInt16BigEndian(); break;
                        case CTA_PROTO_DST_PORT: destinationPort = a.GetUInt16BigEndian(); break;
                        case CTA_PROTO_ICMP_ID or CTA_PROTO_ICMPV6_ID: icmpId = a.GetUInt16BigEndian(); break;
                        case CTA_PROTO_ICMP_TYPE or CTA_PROTO_ICMPV6_TYPE: icmpType = a.GetUInt8(); break;
                        case CTA_PROTO_ICMP_CODE or CTA_PROTO_ICMPV6_CODE: icmpCode = a.GetUInt8(); break;
                    }
                }
            }
        }

        if (source is null || destination is null || protocol < 0)
        {
            ThrowHelper.ThrowDecode($"{name} lacks {(source is null ? "its source address" : destination is null ? "its destination address" : "CTA_PROTO_NUM")}.");
        }

        return new ConntrackTuple(source, destination, (ProtocolType)protocol)
        {
            SourcePort = sourcePort,
            DestinationPort = destinationPort,
            IcmpId = icmpId,
            IcmpType = icmpType,
            IcmpCode = icmpCode,
        };
    }

    private static IPAddress Address(NetlinkAttribute a, int length, string name)
    {
        if (a.Value.Length != length)
        {
            ThrowHelper.ThrowDecode($"{name}: a {a.Value.Length}-byte address where {length} bytes are expected.");
        }

        return new IPAddress(a.Value);
    }

    private static TcpConntrackState? ParseTcpState(NetlinkAttribute protoinfo)
    {
        if (protoinfo.GetNested().TryFind(CTA_PROTOINFO_TCP, out NetlinkAttribute tcp) && tcp.GetNested().TryFind(CTA_PROTOINFO_TCP_STATE, out NetlinkAttribute state))
        {
            return (TcpConntrackState)state.GetUInt8();
        }

        return null;
    }

    private static ConntrackCounters ParseCounters(NetlinkAttribute counters)
    {
        ulong packets = 0, bytes = 0;
        foreach (NetlinkAttribute a in counters.GetNested())
        {
            if (a.Type == CTA_COUNTERS_PACKETS)
            {
                packets = a.GetUInt64BigEndian();
            }
            else if (a.Type == CTA_COUNTERS_BYTES)
            {
                bytes = a.GetUInt64BigEndian();
            }
        }

        return new ConntrackCounters(packets, bytes);
    }

    private static UInt128? ParseLabels(ReadOnlySpan<byte> value)
    {
        // The kernel sends its 128-bit label bitmap (unsigned longs, label N at bit N on a little-endian machine).
        Span<byte> bits = stackalloc byte[16];
        bits.Clear();
        value.Slice(0, Math.Min(value.Length, 16)).CopyTo(bits);
        UInt128 labels = BinaryPrimitives.ReadUInt128LittleEndian(bits);
        return labels == UInt128.Zero ? null : labels;
    }
}

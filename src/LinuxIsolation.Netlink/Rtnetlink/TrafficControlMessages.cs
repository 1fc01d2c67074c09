using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoders of traffic control messages (<c>RTM_*QDISC</c>, <c>RTM_*TFILTER</c>; header <c>struct
/// tcmsg</c>, attributes <c>TCA_*</c> of <c>linux/rtnetlink.h</c>, <c>linux/pkt_sched.h</c>, <c>linux/pkt_cls.h</c>):
/// enough for bandwidth shaping as the CNI bandwidth plugin does it (a <c>tbf</c> qdisc on the host-side veth for the
/// container's ingress; an <c>ingress</c> qdisc with a u32 match-all filter redirecting to an ifb link, which carries
/// the <c>tbf</c>, for its egress). Encoders allocate nothing and write what iproute2 6.1's <c>tc</c> writes, byte for byte.
/// </summary>
public static class TrafficControlMessages
{
    /// <summary>Size of <c>struct tcmsg</c>.</summary>
    public const int FamilyHeaderSize = 20;

    /// <summary>The room the largest request of this class needs (a tbf with a peak rate: two 1 KiB rate tables).</summary>
    public const int MaxRequestSize = 2304;

    /// <summary>The room a tbf request without a peak rate needs (one 1 KiB rate table).</summary>
    internal const int TokenBucketRequestSize = 1280;

    /// <summary><c>RTM_NEWQDISC</c>.</summary>
    public const ushort RTM_NEWQDISC = 36;
    /// <summary><c>RTM_DELQDISC</c>.</summary>
    public const ushort RTM_DELQDISC = 37;
    /// <summary><c>RTM_GETQDISC</c>.</summary>
    public const ushort RTM_GETQDISC = 38;
    /// <summary><c>RTM_NEWTFILTER</c>.</summary>
    public const ushort RTM_NEWTFILTER = 44;
    /// <summary><c>RTM_DELTFILTER</c>.</summary>
    public const ushort RTM_DELTFILTER = 45;
    /// <summary><c>RTM_GETTFILTER</c>.</summary>
    public const ushort RTM_GETTFILTER = 46;

    /// <summary><c>TCA_KIND</c>: the qdisc's, class's or filter's kind (NUL-terminated string).</summary>
    public const ushort TCA_KIND = 1;
    /// <summary><c>TCA_OPTIONS</c>: kind-specific attributes (nested, without <c>NLA_F_NESTED</c> as tc writes it).</summary>
    public const ushort TCA_OPTIONS = 2;
    /// <summary><c>TCA_STATS</c>: the old <c>struct tc_stats</c>.</summary>
    public const ushort TCA_STATS = 3;
    /// <summary><c>TCA_STATS2</c>: statistics (nested <c>TCA_STATS_*</c>).</summary>
    public const ushort TCA_STATS2 = 7;
    /// <summary><c>TCA_CHAIN</c>: filter chain (u32).</summary>
    public const ushort TCA_CHAIN = 11;

    /// <summary><c>TCA_TBF_PARMS</c>: <c>struct tc_tbf_qopt</c>.</summary>
    public const ushort TCA_TBF_PARMS = 1;
    /// <summary><c>TCA_TBF_RTAB</c>: the rate table (256 u32 transmit times).</summary>
    public const ushort TCA_TBF_RTAB = 2;
    /// <summary><c>TCA_TBF_PTAB</c>: the peak rate table.</summary>
    public const ushort TCA_TBF_PTAB = 3;
    /// <summary><c>TCA_TBF_RATE64</c>: rate from 2^32 bytes/s (u64).</summary>
    public const ushort TCA_TBF_RATE64 = 4;
    /// <summary><c>TCA_TBF_PRATE64</c>: peak rate from 2^32 bytes/s (u64).</summary>
    public const ushort TCA_TBF_PRATE64 = 5;
    /// <summary><c>TCA_TBF_BURST</c>: the burst in bytes (u32), Linux 3.13; it supersedes the buffer's time.</summary>
    public const ushort TCA_TBF_BURST = 6;
    /// <summary><c>TCA_TBF_PBURST</c>: the peak burst in bytes (u32).</summary>
    public const ushort TCA_TBF_PBURST = 7;

    /// <summary><c>TCA_STATS_BASIC</c>: <c>struct gnet_stats_basic</c> (bytes u64, packets u32).</summary>
    public const ushort TCA_STATS_BASIC = 1;
    /// <summary><c>TCA_STATS_QUEUE</c>: <c>struct gnet_stats_queue</c>.</summary>
    public const ushort TCA_STATS_QUEUE = 3;
    /// <summary><c>TCA_STATS_PKT64</c>: packets as u64.</summary>
    public const ushort TCA_STATS_PKT64 = 8;

    /// <summary><c>TCA_U32_CLASSID</c>: the class a match assigns (u32).</summary>
    public const ushort TCA_U32_CLASSID = 1;
    /// <summary><c>TCA_U32_SEL</c>: <c>struct tc_u32_sel</c> and its keys.</summary>
    public const ushort TCA_U32_SEL = 5;
    /// <summary><c>TCA_U32_ACT</c>: the actions (nested, one per order number).</summary>
    public const ushort TCA_U32_ACT = 7;

    /// <summary><c>TCA_ACT_KIND</c>: the action's kind (string).</summary>
    public const ushort TCA_ACT_KIND = 1;
    /// <summary><c>TCA_ACT_OPTIONS</c>: kind-specific attributes (nested).</summary>
    public const ushort TCA_ACT_OPTIONS = 2;
    /// <summary><c>TCA_ACT_INDEX</c>: the action's index (u32).</summary>
    public const ushort TCA_ACT_INDEX = 3;
    /// <summary><c>TCA_MIRRED_PARMS</c>: <c>struct tc_mirred</c>.</summary>
    public const ushort TCA_MIRRED_PARMS = 2;

    /// <summary>
    /// Psched ticks per microsecond: the kernel's psched clock ticks every 64 ns (<c>PSCHED_SHIFT</c> 6, Linux 2.6.31 and
    /// later; <c>/proc/net/psched</c> reads <c>000003e8 00000040 000f4240</c>), which tc turns into 1000/64 = 15.625.
    /// </summary>
    public const double TicksPerMicrosecond = 15.625;

    private const ushort NLA_F_NESTED = 0x8000;
    private const byte TC_LINKLAYER_ETHERNET = 1;
    private const byte TC_U32_TERMINAL = 1;
    private const int TC_ACT_PIPE = 3;
    private const int TC_ACT_STOLEN = 4;

    /// <summary>
    /// Writes the request that adds (or with <paramref name="replace"/>, adds or replaces) a <c>tbf</c> qdisc. As tc does,
    /// it sends <c>TCA_TBF_PARMS</c> (link layer Ethernet, the bucket as its time at the rate, the limit computed from a
    /// latency when given), <c>TCA_TBF_BURST</c>, <c>TCA_TBF_RATE64</c> for rates from 2^32 bytes/s, and the rate table
    /// <c>TCA_TBF_RTAB</c> (no longer used for lookups since Linux 3.8: the kernel needs it only to guess the link layer
    /// of old tools that leave it unset). Equivalent to: <c>tc qdisc add|replace dev DEV [root | parent P] handle H tbf
    /// rate R burst B latency L|limit N [peakrate P mtu M]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are inconsistent (see <see cref="TokenBucket.Validate"/>) or the link index is not positive.</exception>
    public static void WriteAddTokenBucket(ref NetlinkWriter writer, int linkIndex, TokenBucket bucket, TrafficControlHandle handle, TrafficControlHandle parent, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        bucket.Validate(nameof(bucket));
        NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
            | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);
        NetlinkMessageToken message = writer.BeginMessage(RTM_NEWQDISC, flags);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_handle = handle.Value, tcm_parent = parent.Value });
        writer.WriteString(TCA_KIND, "tbf"u8);

        ulong rate = bucket.RateBytesPerSecond;
        uint mtu = bucket.MinimumBurstBytes ?? 0;
        uint limit;
        if (bucket.LimitBytes is uint l)
        {
            limit = l;
        }
        else
        {
            double latency = bucket.Latency!.Value.Ticks / TimeSpan.TicksPerMicrosecond;
            double lim = (rate * latency / 1_000_000) + bucket.BurstBytes;
            if (bucket.PeakRateBytesPerSecond is ulong pr)
            {
                double lim2 = (pr * latency / 1_000_000) + mtu;
                lim = Math.Min(lim, lim2);
            }

            limit = (uint)Math.Min(lim, uint.MaxValue);
        }

        var parms = new TcTbfQopt
        {
            rate = RateSpec(rate, mtu, out int cellLog),
            limit = limit,
        };

        // tc computes the bucket's time (and the peak's) at the rate spec's 32-bit rate, saturated from 2^32 bytes/s; the
        // kernel (3.13 and later) goes by TCA_TBF_BURST and the 64-bit rate instead.
        parms.buffer = TransmitTime(parms.rate.rate, bucket.BurstBytes);
        Span<uint> rateTable = stackalloc uint[256];
        FillRateTable(rateTable, parms.rate.rate, cellLog);
        Span<uint> peakTable = stackalloc uint[256];
        ulong peak = bucket.PeakRateBytesPerSecond ?? 0;
        if (peak != 0)
        {
            parms.peakrate = RateSpec(peak, mtu, out int peakCellLog);
            parms.mtu = TransmitTime(parms.peakrate.rate, mtu);
            FillRateTable(peakTable, parms.peakrate.rate, peakCellLog);
        }

        NetlinkNestToken options = writer.BeginNested(TCA_OPTIONS);
        writer.WriteStruct(TCA_TBF_PARMS, parms);
        writer.WriteUInt32(TCA_TBF_BURST, bucket.BurstBytes);
        if (rate > uint.MaxValue)
        {
            writer.WriteUInt64(TCA_TBF_RATE64, rate);
        }

        writer.WriteBytes(TCA_TBF_RTAB, MemoryMarshal.AsBytes(rateTable));
        if (peak != 0)
        {
            if (peak > uint.MaxValue)
            {
                writer.WriteUInt64(TCA_TBF_PRATE64, peak);
            }

            writer.WriteUInt32(TCA_TBF_PBURST, mtu);
            writer.WriteBytes(TCA_TBF_PTAB, MemoryMarshal.AsBytes(peakTable));
        }

        writer.EndNested(options);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that adds a link's ingress qdisc (handle <c>ffff:</c>, parent <c>ffff:fff1</c>), the hook
    /// filters of received packets hang from. Equivalent to: <c>tc qdisc add dev DEV ingress</c>.
    /// </summary>
    public static void WriteAddIngress(ref NetlinkWriter writer, int linkIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_NEWQDISC, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_handle = TrafficControlHandle.IngressQdisc.Value, tcm_parent = TrafficControlHandle.Ingress.Value });
        writer.WriteString(TCA_KIND, "ingress"u8);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that deletes the qdisc at <paramref name="parent"/> (and everything under it); with a handle,
    /// only if it has that handle. Equivalent to: <c>tc qdisc del dev DEV root | parent P [handle H]</c>.
    /// </summary>
    public static void WriteDeleteQdisc(ref NetlinkWriter writer, int linkIndex, TrafficControlHandle parent, TrafficControlHandle handle = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_DELQDISC, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_handle = handle.Value, tcm_parent = parent.Value });
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that deletes a link's ingress qdisc and its filters. Equivalent to: <c>tc qdisc del dev DEV ingress</c>.</summary>
    public static void WriteDeleteIngress(ref NetlinkWriter writer, int linkIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_DELQDISC, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_handle = TrafficControlHandle.IngressQdisc.Value, tcm_parent = TrafficControlHandle.Ingress.Value });
        writer.WriteString(TCA_KIND, "ingress"u8);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the dump request for the qdiscs of one link (or of every link, for 0). Equivalent to: <c>tc -s qdisc show [dev DEV]</c>.
    /// The kernel dumps every link's qdiscs whatever the index says; <see cref="RtnetlinkClient.ListQdiscs"/> keeps those of the link asked for.
    /// </summary>
    public static void WriteDumpQdiscs(ref NetlinkWriter writer, int linkIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_GETQDISC, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex });
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that adds a u32 filter matching every packet (one key of mask 0) that assigns
    /// <paramref name="classId"/> and runs a mirred action sending the packet to link <paramref name="targetIndex"/>: the
    /// CNI bandwidth plugin's redirect of a veth's ingress to the ifb that shapes it. Equivalent to: <c>tc filter add dev
    /// DEV parent P protocol all prio N u32 match u32 0 0 [flowid C] action mirred egress redirect dev TARGET</c>.
    /// </summary>
    /// <exception cref="ArgumentException">An index is not positive, the priority is 0, or the action is unknown.</exception>
    public static void WriteAddRedirectFilter(ref NetlinkWriter writer, int linkIndex, TrafficControlHandle parent, ushort priority, ushort protocol,
        TrafficControlHandle? classId, MirredAction action, int targetIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetIndex);
        if (priority == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(priority), priority, "A filter priority is 1..65535 (0 lets tc pick one; give it explicitly).");
        }

        if (!Enum.IsDefined(action))
        {
            throw new ArgumentException($"{(int)action} is not a mirred action.", nameof(action));
        }

        NetlinkMessageToken message = writer.BeginMessage(RTM_NEWTFILTER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_parent = parent.Value, tcm_info = FilterInfo(priority, protocol) });
        writer.WriteString(TCA_KIND, "u32"u8);
        NetlinkNestToken options = writer.BeginNested(TCA_OPTIONS);
        if (classId is TrafficControlHandle c)
        {
            writer.WriteUInt32(TCA_U32_CLASSID, c.Value);
        }

        NetlinkNestToken actions = writer.BeginNested(TCA_U32_ACT);
        NetlinkNestToken first = writer.BeginNested(1);
        writer.WriteString(TCA_ACT_KIND, "mirred"u8);
        NetlinkNestToken mirredOptions = writer.BeginNested(TCA_ACT_OPTIONS | NLA_F_NESTED);
        bool redirect = action is MirredAction.EgressRedirect or MirredAction.IngressRedirect;
        writer.WriteStruct(TCA_MIRRED_PARMS, new TcMirred { action = redirect ? TC_ACT_STOLEN : TC_ACT_PIPE, eaction = (int)action, ifindex = (uint)targetIndex });
        writer.EndNested(mirredOptions);
        writer.EndNested(first);
        writer.EndNested(actions);

        // One key of mask 0 at offset 0: every packet matches ("match u32 0 0").
        Span<byte> selector = stackalloc byte[Marshal.SizeOf<TcU32Sel>() + Marshal.SizeOf<TcU32Key>()];
        selector.Clear();
        var header = new TcU32Sel { flags = TC_U32_TERMINAL, nkeys = 1 };
        MemoryMarshal.Write(selector, in header);
        writer.WriteBytes(TCA_U32_SEL, selector);
        writer.EndNested(options);
        writer.EndMessage(message);
    }

    /// <summary>Writes the dump request for the filters under <paramref name="parent"/> of a link. Equivalent to: <c>tc filter show dev DEV parent P</c>.</summary>
    public static void WriteDumpFilters(ref NetlinkWriter writer, int linkIndex, TrafficControlHandle parent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_GETTFILTER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_parent = parent.Value });
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that deletes the filters under <paramref name="parent"/>: those of one priority (and protocol),
    /// or all of them for priority 0. Equivalent to: <c>tc filter del dev DEV parent P [protocol PROTO prio N]</c>.
    /// </summary>
    public static void WriteDeleteFilters(ref NetlinkWriter writer, int linkIndex, TrafficControlHandle parent, ushort priority = 0, ushort protocol = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        NetlinkMessageToken message = writer.BeginMessage(RTM_DELTFILTER, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new TcMsg { tcm_ifindex = linkIndex, tcm_parent = parent.Value, tcm_info = FilterInfo(priority, protocol) });
        writer.EndMessage(message);
    }

    /// <summary>Decodes a qdisc from a dump reply or an <c>RTM_NEWQDISC</c>/<c>RTM_DELQDISC</c> notification.</summary>
    /// <exception cref="NetlinkDecodeException">The message is not a qdisc message, or is malformed.</exception>
    public static Qdisc ParseQdisc(NetlinkMessage message)
    {
        if (message.Type is not (RTM_NEWQDISC or RTM_DELQDISC))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWQDISC or RTM_DELQDISC, got message type {message.Type}.");
        }

        TcMsg header = message.ReadHeader<TcMsg>();
        string kind = string.Empty;
        NetlinkAttribute options = default;
        bool hasOptions = false;
        TrafficControlStatistics? statistics = null;
        foreach (NetlinkAttribute a in message.GetAttributes(FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case TCA_KIND: kind = a.GetString(); break;
                case TCA_OPTIONS: options = a; hasOptions = true; break;
                case TCA_STATS2: statistics = ParseStatistics2(a); break;
                case TCA_STATS: statistics ??= ParseStatistics(a); break;
            }
        }

        return new Qdisc(header.tcm_ifindex, kind, new TrafficControlHandle(header.tcm_handle), new TrafficControlHandle(header.tcm_parent))
        {
            TokenBucket = hasOptions && kind == "tbf" ? ParseTokenBucket(options) : null,
            Statistics = statistics,
        };
    }

    /// <summary>Decodes a filter from a dump reply or an <c>RTM_NEWTFILTER</c>/<c>RTM_DELTFILTER</c> notification (u32 class and actions decoded; other kinds' options are skipped).</summary>
    /// <exception cref="NetlinkDecodeException">The message is not a filter message, or is malformed.</exception>
    public static TrafficFilter ParseFilter(NetlinkMessage message)
    {
        if (message.Type is not (RTM_NEWTFILTER or RTM_DELTFILTER))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWTFILTER or RTM_DELTFILTER, got message type {message.Type}.");
        }

        TcMsg header = message.ReadHeader<TcMsg>();
        string kind = string.Empty;
        uint? chain = null;
        TrafficControlHandle? classId = null;
        List<TrafficAction>? actions = null;
        NetlinkAttribute options = default;
        bool hasOptions = false;
        foreach (NetlinkAttribute a in message.GetAttributes(FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case TCA_KIND: kind = a.GetString(); break;
                case TCA_CHAIN: chain = a.GetUInt32(); break;
                case TCA_OPTIONS: options = a; hasOptions = true; break;
            }
        }

        if (hasOptions && kind == "u32")
        {
            foreach (NetlinkAttribute a in options.GetNested())
            {
                if (a.Type == TCA_U32_CLASSID)
                {
                    classId = new TrafficControlHandle(a.GetUInt32());
                }
                else if (a.Type == TCA_U32_ACT)
                {
                    actions = ParseActions(a);
                }
            }
        }

        return new TrafficFilter(header.tcm_ifindex, kind, new TrafficControlHandle(header.tcm_parent), header.tcm_handle,
            (ushort)(header.tcm_info >> 16), BinaryPrimitives.ReverseEndianness((ushort)header.tcm_info))
        {
            ClassId = classId,
            Actions = actions is null ? Array.Empty<TrafficAction>() : actions,
            Chain = chain,
        };
    }

    /// <summary>
    /// The time, in psched ticks, to send <paramref name="size"/> bytes at <paramref name="rate"/> bytes per second, as
    /// tc's <c>tc_calc_xmittime</c> computes it (whole microseconds, then whole ticks); <see cref="uint.MaxValue"/> when it does not fit.
    /// </summary>
    internal static uint TransmitTime(ulong rate, ulong size)
    {
        // tc truncates twice: the time in microseconds to an integer, then the ticks.
        double microseconds = Math.Floor(1_000_000 * ((double)size / rate));
        double ticks = Math.Floor(microseconds * TicksPerMicrosecond);
        return ticks > uint.MaxValue ? uint.MaxValue : (uint)ticks;
    }

    /// <summary>The bytes sent at <paramref name="rate"/> in <paramref name="ticks"/> psched ticks (tc's <c>tc_calc_xmitsize</c>).</summary>
    internal static ulong TransmitSize(ulong rate, uint ticks) => (ulong)(rate * (ticks / TicksPerMicrosecond) / 1_000_000);

    /// <summary>The filter's <c>tcm_info</c>: the priority in the high 16 bits, the protocol in network byte order in the low 16.</summary>
    private static uint FilterInfo(ushort priority, ushort protocol) => ((uint)priority << 16) | BinaryPrimitives.ReverseEndianness(protocol);

    /// <summary>A rate spec as tc fills it: rates from 2^32 bytes/s saturate (the real one travels in a *_RATE64 attribute), cell size for the MTU (2047 when none).</summary>
    private static TcRateSpec RateSpec(ulong rate, uint mtu, out int cellLog)
    {
        uint effectiveMtu = mtu == 0 ? 2047 : mtu;
        cellLog = 0;
        while ((effectiveMtu >> cellLog) > 255)
        {
            cellLog++;
        }

        return new TcRateSpec
        {
            cell_log = (byte)cellLog,
            linklayer = TC_LINKLAYER_ETHERNET,
            cell_align = -1,
            rate = rate > uint.MaxValue ? uint.MaxValue : (uint)rate,
        };
    }

    /// <summary>tc's <c>tc_calc_rtable</c>: entry i is the time to send (i + 1) cells of 2^cellLog bytes (Ethernet: no size adjustment).</summary>
    private static void FillRateTable(Span<uint> table, uint rate, int cellLog)
    {
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = TransmitTime(rate, (ulong)(i + 1) << cellLog);
        }
    }

    private static TokenBucket ParseTokenBucket(NetlinkAttribute options)
    {
        TcTbfQopt parms = default;
        bool hasParms = false;
        ulong? rate64 = null, peak64 = null;
        uint? burst = null, peakBurst = null;
        foreach (NetlinkAttribute a in options.GetNested())
        {
            switch (a.Type)
            {
                case TCA_TBF_PARMS: parms = a.GetStruct<TcTbfQopt>(); hasParms = true; break;
                case TCA_TBF_RATE64: rate64 = a.GetUInt64(); break;
                case TCA_TBF_PRATE64: peak64 = a.GetUInt64(); break;
                case TCA_TBF_BURST: burst = a.GetUInt32(); break;
                case TCA_TBF_PBURST: peakBurst = a.GetUInt32(); break;
            }
        }

        if (!hasParms)
        {
            ThrowHelper.ThrowDecode("A tbf qdisc's options lack TCA_TBF_PARMS.");
        }

        ulong rate = rate64 ?? parms.rate.rate;
        ulong peak = parms.peakrate.rate == 0 ? 0 : peak64 ?? parms.peakrate.rate;
        return new TokenBucket
        {
            RateBytesPerSecond = rate,
            // A request carries the burst in bytes; the kernel's dump has only its time at the (64-bit) rate.
            BurstBytes = burst ?? (uint)Math.Min(TransmitSize(rate, parms.buffer), uint.MaxValue),
            LimitBytes = parms.limit,
            PeakRateBytesPerSecond = peak == 0 ? null : peak,
            MinimumBurstBytes = peak == 0 ? null : peakBurst ?? (uint)Math.Min(TransmitSize(peak, parms.mtu), uint.MaxValue),
        };
    }

    private static TrafficControlStatistics ParseStatistics2(NetlinkAttribute stats)
    {
        ulong bytes = 0, packets = 0;
        uint drops = 0, overlimits = 0, requeues = 0, backlog = 0, qlen = 0;
        ulong? packets64 = null;
        foreach (NetlinkAttribute a in stats.GetNested())
        {
            ReadOnlySpan<byte> v = a.Value;
            switch (a.Type)
            {
                case TCA_STATS_BASIC:
                    Need(v, 12, "TCA_STATS_BASIC");
                    bytes = BinaryPrimitives.ReadUInt64LittleEndian(v);
                    packets = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(8));
                    break;
                case TCA_STATS_PKT64:
                    packets64 = a.GetUInt64();
                    break;
                case TCA_STATS_QUEUE:
                    Need(v, 20, "TCA_STATS_QUEUE");
                    qlen = BinaryPrimitives.ReadUInt32LittleEndian(v);
                    backlog = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(4));
                    drops = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(8));
                    requeues = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(12));
                    overlimits = BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(16));
                    break;
            }
        }

        return new TrafficControlStatistics(bytes, packets64 ?? packets, drops, overlimits, requeues, backlog, qlen);
    }

    /// <summary>The old <c>struct tc_stats</c>: bytes u64, packets, drops, overlimits, bps, pps, qlen, backlog (u32 each).</summary>
    private static TrafficControlStatistics ParseStatistics(NetlinkAttribute stats)
    {
        ReadOnlySpan<byte> v = stats.Value;
        Need(v, 36, "TCA_STATS");
        return new TrafficControlStatistics(
            BinaryPrimitives.ReadUInt64LittleEndian(v),
            BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(8)),
            BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(12)),
            BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(16)),
            0,
            BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(32)),
            BinaryPrimitives.ReadUInt32LittleEndian(v.Slice(28)));
    }

    private static List<TrafficAction> ParseActions(NetlinkAttribute list)
    {
        var actions = new List<TrafficAction>();
        foreach (NetlinkAttribute entry in list.GetNested())
        {
            string kind = string.Empty;
            uint? index = null;
            MirredAction? mirred = null;
            int? target = null, verdict = null;
            NetlinkAttribute options = default;
            bool hasOptions = false;
            foreach (NetlinkAttribute a in entry.GetNested())
            {
                switch (a.Type)
                {
                    case TCA_ACT_KIND: kind = a.GetString(); break;
                    case TCA_ACT_INDEX: index = a.GetUInt32(); break;
                    case TCA_ACT_OPTIONS: options = a; hasOptions = true; break;
                }
            }

            if (hasOptions && kind == "mirred" && options.GetNested().TryFind(TCA_MIRRED_PARMS, out NetlinkAttribute parms))
            {
                TcMirred m = parms.GetStruct<TcMirred>();
                mirred = (MirredAction)m.eaction;
                target = (int)m.ifindex;
                verdict = m.action;
                index ??= m.index;
            }

            actions.Add(new TrafficAction(kind, entry.Type) { Mirred = mirred, TargetIndex = target, Verdict = verdict, Index = index });
        }

        return actions;
    }

    private static void Need(ReadOnlySpan<byte> value, int size, string name)
    {
        if (value.Length < size)
        {
            ThrowHelper.ThrowDecode($"{name} has {value.Length} bytes; {size} expected.");
        }
    }
}

using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Rtnetlink.Native;

/// <summary>Traffic control message family header, <c>struct tcmsg</c> from <c>linux/rtnetlink.h</c>.</summary>
/// <remarks>
/// <code>
/// struct tcmsg {
///     unsigned char  tcm_family;   /* AF_UNSPEC */
///     unsigned char  tcm__pad1;
///     unsigned short tcm__pad2;
///     int            tcm_ifindex;
///     __u32          tcm_handle;   /* major:minor, 16 bits each */
///     __u32          tcm_parent;   /* TC_H_ROOT, TC_H_INGRESS or major:minor */
///     __u32          tcm_info;     /* filters: priority &lt;&lt; 16 | htons(protocol); qdiscs: refcount */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcMsg
{
    /// <summary>Address family, <c>AF_UNSPEC</c>.</summary>
    public byte tcm_family;
    /// <summary>Padding.</summary>
    public byte tcm_pad1;
    /// <summary>Padding.</summary>
    public ushort tcm_pad2;
    /// <summary>Link index.</summary>
    public int tcm_ifindex;
    /// <summary>The object's handle (<c>major:minor</c>).</summary>
    public uint tcm_handle;
    /// <summary>The parent's handle.</summary>
    public uint tcm_parent;
    /// <summary>Filters: priority in the high 16 bits, the protocol (network byte order) in the low 16.</summary>
    public uint tcm_info;
}

/// <summary>A rate specification, <c>struct tc_ratespec</c> from <c>linux/pkt_sched.h</c>.</summary>
/// <remarks>
/// <code>
/// struct tc_ratespec {
///     unsigned char  cell_log;   /* log2 of the rate table's cell size */
///     __u8           linklayer;  /* TC_LINKLAYER_* in the low 4 bits */
///     unsigned short overhead;
///     short          cell_align;
///     unsigned short mpu;        /* minimum packet unit */
///     __u32          rate;       /* bytes per second; ~0 when the rate travels in a *_RATE64 attribute */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcRateSpec
{
    /// <summary>log2 of the rate table's cell size.</summary>
    public byte cell_log;
    /// <summary>Link layer (<c>TC_LINKLAYER_ETHERNET</c> = 1).</summary>
    public byte linklayer;
    /// <summary>Per-packet overhead in bytes.</summary>
    public ushort overhead;
    /// <summary>Cell alignment (-1 as tc sets it).</summary>
    public short cell_align;
    /// <summary>Minimum packet unit.</summary>
    public ushort mpu;
    /// <summary>Rate in bytes per second.</summary>
    public uint rate;
}

/// <summary>Token bucket parameters, <c>struct tc_tbf_qopt</c> from <c>linux/pkt_sched.h</c> (<c>TCA_TBF_PARMS</c>).</summary>
/// <remarks>
/// <code>
/// struct tc_tbf_qopt {
///     struct tc_ratespec rate;
///     struct tc_ratespec peakrate;
///     __u32 limit;   /* bytes that may wait in the queue */
///     __u32 buffer;  /* bucket size, as the time (in psched ticks) to send it at the rate */
///     __u32 mtu;     /* peak bucket size, in psched ticks at the peak rate */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcTbfQopt
{
    /// <summary>The rate.</summary>
    public TcRateSpec rate;
    /// <summary>The peak rate (zero when unused).</summary>
    public TcRateSpec peakrate;
    /// <summary>Queue limit in bytes.</summary>
    public uint limit;
    /// <summary>Bucket size in psched ticks.</summary>
    public uint buffer;
    /// <summary>Peak bucket size in psched ticks.</summary>
    public uint mtu;
}

/// <summary>The fixed part of a u32 selector, <c>struct tc_u32_sel</c> from <c>linux/pkt_cls.h</c>; <c>nkeys</c> <see cref="TcU32Key"/>s follow it.</summary>
/// <remarks>
/// <code>
/// struct tc_u32_sel {
///     unsigned char flags;     /* TC_U32_TERMINAL = 1 */
///     unsigned char offshift;
///     unsigned char nkeys;
///     __be16        offmask;
///     __u16         off;
///     short         offoff;
///     short         hoff;
///     __be32        hmask;
///     struct tc_u32_key keys[];
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcU32Sel
{
    /// <summary>Flags (<c>TC_U32_TERMINAL</c>: a match ends the classification).</summary>
    public byte flags;
    /// <summary>Offset shift.</summary>
    public byte offshift;
    /// <summary>Number of keys that follow.</summary>
    public byte nkeys;
    /// <summary>Padding.</summary>
    public byte pad;
    /// <summary>Offset mask (big-endian).</summary>
    public ushort offmask;
    /// <summary>Offset.</summary>
    public ushort off;
    /// <summary>Offset of the offset.</summary>
    public short offoff;
    /// <summary>Hash offset.</summary>
    public short hoff;
    /// <summary>Hash mask (big-endian).</summary>
    public uint hmask;
}

/// <summary>One u32 match key, <c>struct tc_u32_key</c>: <c>(packet[off] &amp; mask) == val</c>; mask 0 matches everything.</summary>
/// <remarks>
/// <code>
/// struct tc_u32_key {
///     __be32 mask;
///     __be32 val;
///     int    off;
///     int    offmask;
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcU32Key
{
    /// <summary>Mask (big-endian).</summary>
    public uint mask;
    /// <summary>Value (big-endian).</summary>
    public uint val;
    /// <summary>Offset in the packet.</summary>
    public int off;
    /// <summary>Offset mask.</summary>
    public int offmask;
}

/// <summary>Mirred action parameters, <c>struct tc_mirred</c> from <c>linux/tc_act/tc_mirred.h</c> (<c>TCA_MIRRED_PARMS</c>).</summary>
/// <remarks>
/// <code>
/// struct tc_mirred {
///     __u32 index;  __u32 capab;  int action;  int refcnt;  int bindcnt;   /* tc_gen */
///     int   eaction;   /* TCA_EGRESS_REDIR, TCA_EGRESS_MIRROR, TCA_INGRESS_REDIR, TCA_INGRESS_MIRROR */
///     __u32 ifindex;   /* target link */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct TcMirred
{
    /// <summary>Action index (0: the kernel picks one).</summary>
    public uint index;
    /// <summary>Capabilities.</summary>
    public uint capab;
    /// <summary>The verdict after the action (<c>TC_ACT_STOLEN</c> = 4 for a redirect, <c>TC_ACT_PIPE</c> = 3 for a mirror).</summary>
    public int action;
    /// <summary>Reference count (output).</summary>
    public int refcnt;
    /// <summary>Bind count (output).</summary>
    public int bindcnt;
    /// <summary>What to do (<c>TCA_*_REDIR</c>/<c>TCA_*_MIRROR</c>).</summary>
    public int eaction;
    /// <summary>The target link index.</summary>
    public uint ifindex;
}

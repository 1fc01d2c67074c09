using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Rtnetlink.Native;

/// <summary>Link message family header, <c>struct ifinfomsg</c> from <c>linux/rtnetlink.h</c>.</summary>
/// <remarks>
/// <code>
/// struct ifinfomsg {
///     unsigned char  ifi_family; /* AF_UNSPEC */
///     unsigned char  __ifi_pad;
///     unsigned short ifi_type;   /* ARPHRD_* */
///     int            ifi_index;  /* link index */
///     unsigned       ifi_flags;  /* IFF_* flags */
///     unsigned       ifi_change; /* IFF_* change mask */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct IfInfoMsg
{
    /// <summary>Address family, normally <c>AF_UNSPEC</c>.</summary>
    public byte ifi_family;
    /// <summary>Padding.</summary>
    public byte ifi_pad;
    /// <summary>Device type (<c>ARPHRD_*</c>).</summary>
    public ushort ifi_type;
    /// <summary>Interface index; 0 lets the kernel choose (NEW) or selects by name (GET, SET).</summary>
    public int ifi_index;
    /// <summary>Device flags (<c>IFF_*</c>).</summary>
    public uint ifi_flags;
    /// <summary>Mask of the flags to change.</summary>
    public uint ifi_change;
}

/// <summary>Address message family header, <c>struct ifaddrmsg</c> from <c>linux/if_addr.h</c>.</summary>
/// <remarks>
/// <code>
/// struct ifaddrmsg {
///     __u8  ifa_family;
///     __u8  ifa_prefixlen; /* The prefix length */
///     __u8  ifa_flags;     /* Flags (IFA_F_*, low 8 bits) */
///     __u8  ifa_scope;     /* Address scope (RT_SCOPE_*) */
///     __u32 ifa_index;     /* Link index */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct IfAddrMsg
{
    /// <summary>Address family (<c>AF_INET</c>, <c>AF_INET6</c>).</summary>
    public byte ifa_family;
    /// <summary>Prefix length.</summary>
    public byte ifa_prefixlen;
    /// <summary>The low 8 bits of the <c>IFA_F_*</c> flags (the rest travel in <c>IFA_FLAGS</c>).</summary>
    public byte ifa_flags;
    /// <summary>Scope (<c>RT_SCOPE_*</c>).</summary>
    public byte ifa_scope;
    /// <summary>Link index.</summary>
    public uint ifa_index;
}

/// <summary>Route message family header, <c>struct rtmsg</c> from <c>linux/rtnetlink.h</c>.</summary>
/// <remarks>
/// <code>
/// struct rtmsg {
///     unsigned char rtm_family;
///     unsigned char rtm_dst_len;
///     unsigned char rtm_src_len;
///     unsigned char rtm_tos;
///     unsigned char rtm_table;    /* Routing table id (RT_TABLE_*; larger ids in RTA_TABLE) */
///     unsigned char rtm_protocol; /* Routing protocol (RTPROT_*) */
///     unsigned char rtm_scope;    /* RT_SCOPE_* */
///     unsigned char rtm_type;     /* RTN_* */
///     unsigned      rtm_flags;    /* RTM_F_* */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct RtMsg
{
    /// <summary>Address family.</summary>
    public byte rtm_family;
    /// <summary>Destination prefix length.</summary>
    public byte rtm_dst_len;
    /// <summary>Source prefix length.</summary>
    public byte rtm_src_len;
    /// <summary>Type of service.</summary>
    public byte rtm_tos;
    /// <summary>Routing table id (<c>RT_TABLE_*</c>).</summary>
    public byte rtm_table;
    /// <summary>Who installed the route (<c>RTPROT_*</c>).</summary>
    public byte rtm_protocol;
    /// <summary>Scope (<c>RT_SCOPE_*</c>).</summary>
    public byte rtm_scope;
    /// <summary>Route type (<c>RTN_*</c>).</summary>
    public byte rtm_type;
    /// <summary>Flags (<c>RTM_F_*</c>).</summary>
    public uint rtm_flags;
}

/// <summary>Neighbour message family header, <c>struct ndmsg</c> from <c>linux/neighbour.h</c>.</summary>
/// <remarks>
/// <code>
/// struct ndmsg {
///     __u8  ndm_family;
///     __u8  ndm_pad1;
///     __u16 ndm_pad2;
///     __s32 ndm_ifindex;
///     __u16 ndm_state;  /* NUD_* */
///     __u8  ndm_flags;  /* NTF_* */
///     __u8  ndm_type;
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct NdMsg
{
    /// <summary>Address family.</summary>
    public byte ndm_family;
    /// <summary>Padding.</summary>
    public byte ndm_pad1;
    /// <summary>Padding.</summary>
    public ushort ndm_pad2;
    /// <summary>Link index.</summary>
    public int ndm_ifindex;
    /// <summary>State (<c>NUD_*</c>).</summary>
    public ushort ndm_state;
    /// <summary>Flags (<c>NTF_*</c>).</summary>
    public byte ndm_flags;
    /// <summary>Type (<c>RTN_*</c>).</summary>
    public byte ndm_type;
}

namespace LinuxIsolation.Netlink.Conntrack.Native;

/// <summary>
/// ctnetlink message types, attributes and multicast groups, from <c>linux/netfilter/nfnetlink_conntrack.h</c> and
/// <c>linux/netfilter/nfnetlink.h</c>, with the kernel's spelling. The full <c>nlmsg_type</c> is
/// <c>NFNL_SUBSYS_CTNETLINK &lt;&lt; 8 | IPCTNL_MSG_CT_*</c>. Values in attributes are big-endian
/// (<c>nla_put_be32</c>), except <c>CTA_FILTER</c>'s flags, which are host-endian.
/// </summary>
internal static class Ctnetlink
{
    /// <summary><c>NFNL_SUBSYS_CTNETLINK</c>.</summary>
    public const ushort NFNL_SUBSYS_CTNETLINK = 1;
    /// <summary><c>NFNETLINK_V0</c>.</summary>
    public const byte NFNETLINK_V0 = 0;
    /// <summary><c>NFNETLINK_V1</c>: in a flush (<c>IPCTNL_MSG_CT_DELETE</c> without tuple) it makes the kernel honour
    /// <c>nfgen_family</c> (Linux 4.19); with version 0 a flush empties every family whatever the header says.</summary>
    public const byte NFNETLINK_V1 = 1;

    public const ushort IPCTNL_MSG_CT_NEW = 0;
    public const ushort IPCTNL_MSG_CT_GET = 1;
    public const ushort IPCTNL_MSG_CT_DELETE = 2;

    // enum ctattr_type
    public const ushort CTA_TUPLE_ORIG = 1;
    public const ushort CTA_TUPLE_REPLY = 2;
    public const ushort CTA_STATUS = 3;
    public const ushort CTA_PROTOINFO = 4;
    public const ushort CTA_HELP = 5;
    public const ushort CTA_TIMEOUT = 7;
    public const ushort CTA_MARK = 8;
    public const ushort CTA_COUNTERS_ORIG = 9;
    public const ushort CTA_COUNTERS_REPLY = 10;
    public const ushort CTA_USE = 11;
    public const ushort CTA_ID = 12;
    public const ushort CTA_ZONE = 18;
    public const ushort CTA_TIMESTAMP = 20;
    public const ushort CTA_MARK_MASK = 21;
    public const ushort CTA_LABELS = 22;
    public const ushort CTA_FILTER = 25;

    // enum ctattr_tuple
    public const ushort CTA_TUPLE_IP = 1;
    public const ushort CTA_TUPLE_PROTO = 2;
    public const ushort CTA_TUPLE_ZONE = 3;

    // enum ctattr_ip
    public const ushort CTA_IP_V4_SRC = 1;
    public const ushort CTA_IP_V4_DST = 2;
    public const ushort CTA_IP_V6_SRC = 3;
    public const ushort CTA_IP_V6_DST = 4;

    // enum ctattr_l4proto
    public const ushort CTA_PROTO_NUM = 1;
    public const ushort CTA_PROTO_SRC_PORT = 2;
    public const ushort CTA_PROTO_DST_PORT = 3;
    public const ushort CTA_PROTO_ICMP_ID = 4;
    public const ushort CTA_PROTO_ICMP_TYPE = 5;
    public const ushort CTA_PROTO_ICMP_CODE = 6;
    public const ushort CTA_PROTO_ICMPV6_ID = 7;
    public const ushort CTA_PROTO_ICMPV6_TYPE = 8;
    public const ushort CTA_PROTO_ICMPV6_CODE = 9;

    // enum ctattr_protoinfo, ctattr_protoinfo_tcp
    public const ushort CTA_PROTOINFO_TCP = 1;
    public const ushort CTA_PROTOINFO_TCP_STATE = 1;

    // enum ctattr_counters
    public const ushort CTA_COUNTERS_PACKETS = 1;
    public const ushort CTA_COUNTERS_BYTES = 2;

    // enum ctattr_tstamp
    public const ushort CTA_TIMESTAMP_START = 1;
    public const ushort CTA_TIMESTAMP_STOP = 2;

    // enum ctattr_help
    public const ushort CTA_HELP_NAME = 1;

    // enum ctattr_filter
    public const ushort CTA_FILTER_ORIG_FLAGS = 1;
    public const ushort CTA_FILTER_REPLY_FLAGS = 2;

    // CTA_FILTER_F_* (net/netfilter/nf_internals.h: not in the uapi headers)
    public const uint CTA_FILTER_F_CTA_IP_SRC = 1 << 0;
    public const uint CTA_FILTER_F_CTA_IP_DST = 1 << 1;
    public const uint CTA_FILTER_F_CTA_PROTO_NUM = 1 << 3;
    public const uint CTA_FILTER_F_CTA_PROTO_SRC_PORT = 1 << 4;
    public const uint CTA_FILTER_F_CTA_PROTO_DST_PORT = 1 << 5;

    // enum nfnetlink_groups
    public const uint NFNLGRP_CONNTRACK_NEW = 1;
    public const uint NFNLGRP_CONNTRACK_UPDATE = 2;
    public const uint NFNLGRP_CONNTRACK_DESTROY = 3;

    /// <summary>The <c>NLA_F_NESTED</c> bit, which conntrack and the kernel set on every nest.</summary>
    public const ushort NLA_F_NESTED = 0x8000;

    /// <summary>The full <c>nlmsg_type</c> of a ctnetlink message.</summary>
    public static ushort Type(ushort ctMessage) => (ushort)((NFNL_SUBSYS_CTNETLINK << 8) | ctMessage);
}

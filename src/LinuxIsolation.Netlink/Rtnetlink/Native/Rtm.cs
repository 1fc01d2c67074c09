namespace LinuxIsolation.Netlink.Rtnetlink.Native;

/// <summary>rtnetlink message types (<c>RTM_*</c> in <c>linux/rtnetlink.h</c>).</summary>
public static class Rtm
{
    /// <summary>Create or change a link.</summary>
    public const ushort RTM_NEWLINK = 16;
    /// <summary>Delete a link.</summary>
    public const ushort RTM_DELLINK = 17;
    /// <summary>Get or dump links.</summary>
    public const ushort RTM_GETLINK = 18;
    /// <summary>Change link properties.</summary>
    public const ushort RTM_SETLINK = 19;
    /// <summary>Add an address.</summary>
    public const ushort RTM_NEWADDR = 20;
    /// <summary>Delete an address.</summary>
    public const ushort RTM_DELADDR = 21;
    /// <summary>Get or dump addresses.</summary>
    public const ushort RTM_GETADDR = 22;
    /// <summary>Add a route.</summary>
    public const ushort RTM_NEWROUTE = 24;
    /// <summary>Delete a route.</summary>
    public const ushort RTM_DELROUTE = 25;
    /// <summary>Get or dump routes.</summary>
    public const ushort RTM_GETROUTE = 26;
    /// <summary>Add a neighbour.</summary>
    public const ushort RTM_NEWNEIGH = 28;
    /// <summary>Delete a neighbour.</summary>
    public const ushort RTM_DELNEIGH = 29;
    /// <summary>Get or dump neighbours.</summary>
    public const ushort RTM_GETNEIGH = 30;
}

/// <summary>Link attributes (<c>IFLA_*</c> in <c>linux/if_link.h</c>).</summary>
public static class Ifla
{
    /// <summary>Hardware address.</summary>
    public const ushort IFLA_ADDRESS = 1;
    /// <summary>Broadcast hardware address.</summary>
    public const ushort IFLA_BROADCAST = 2;
    /// <summary>Interface name (string).</summary>
    public const ushort IFLA_IFNAME = 3;
    /// <summary>MTU (u32).</summary>
    public const ushort IFLA_MTU = 4;
    /// <summary>Lower link index (u32): for veth, the peer's index.</summary>
    public const ushort IFLA_LINK = 5;
    /// <summary>Queueing discipline (string).</summary>
    public const ushort IFLA_QDISC = 6;
    /// <summary>Master device index (u32); 0 releases from the master.</summary>
    public const ushort IFLA_MASTER = 10;
    /// <summary>Transmit queue length (u32).</summary>
    public const ushort IFLA_TXQLEN = 13;
    /// <summary>Operational state (u8, <c>IF_OPER_*</c>).</summary>
    public const ushort IFLA_OPERSTATE = 16;
    /// <summary>Link mode (u8).</summary>
    public const ushort IFLA_LINKMODE = 17;
    /// <summary>Kind-specific information (nested <c>IFLA_INFO_*</c>).</summary>
    public const ushort IFLA_LINKINFO = 18;
    /// <summary>Target network namespace by process id (u32).</summary>
    public const ushort IFLA_NET_NS_PID = 19;
    /// <summary>Alias (string).</summary>
    public const ushort IFLA_IFALIAS = 20;
    /// <summary>Group (u32).</summary>
    public const ushort IFLA_GROUP = 27;
    /// <summary>Target network namespace by file descriptor (u32).</summary>
    public const ushort IFLA_NET_NS_FD = 28;
    /// <summary>Extended dump filter mask (u32, <c>RTEXT_FILTER_*</c>).</summary>
    public const ushort IFLA_EXT_MASK = 29;
    /// <summary>Promiscuity count (u32).</summary>
    public const ushort IFLA_PROMISCUITY = 30;
    /// <summary>Carrier state (u8).</summary>
    public const ushort IFLA_CARRIER = 33;
    /// <summary>Network namespace id of the peer link (s32).</summary>
    public const ushort IFLA_LINK_NETNSID = 37;
    /// <summary>Minimum MTU (u32).</summary>
    public const ushort IFLA_MIN_MTU = 50;
    /// <summary>Maximum MTU (u32).</summary>
    public const ushort IFLA_MAX_MTU = 51;
    /// <summary>Alternative names (nested).</summary>
    public const ushort IFLA_PROP_LIST = 52;
    /// <summary>One alternative name (string).</summary>
    public const ushort IFLA_ALT_IFNAME = 53;
    /// <summary>Permanent hardware address.</summary>
    public const ushort IFLA_PERM_ADDRESS = 54;
    /// <summary>Parent device name (string).</summary>
    public const ushort IFLA_PARENT_DEV_NAME = 56;

    /// <summary>Kind of link (string, in <c>IFLA_LINKINFO</c>).</summary>
    public const ushort IFLA_INFO_KIND = 1;
    /// <summary>Kind-specific data (nested, in <c>IFLA_LINKINFO</c>).</summary>
    public const ushort IFLA_INFO_DATA = 2;
    /// <summary>Kind of the port's master (string, in <c>IFLA_LINKINFO</c>).</summary>
    public const ushort IFLA_INFO_SLAVE_KIND = 4;
    /// <summary>Port data for the master (nested, in <c>IFLA_LINKINFO</c>).</summary>
    public const ushort IFLA_INFO_SLAVE_DATA = 5;

    /// <summary>The veth peer (in <c>IFLA_INFO_DATA</c>): an <c>ifinfomsg</c> followed by link attributes.</summary>
    public const ushort VETH_INFO_PEER = 1;

    /// <summary>macvlan mode (u32, <c>MACVLAN_MODE_*</c>, in <c>IFLA_INFO_DATA</c>).</summary>
    public const ushort IFLA_MACVLAN_MODE = 1;

    /// <summary>VXLAN network identifier (u32, in <c>IFLA_INFO_DATA</c>).</summary>
    public const ushort IFLA_VXLAN_ID = 1;
    /// <summary>VXLAN IPv4 multicast group or remote address (4 bytes).</summary>
    public const ushort IFLA_VXLAN_GROUP = 2;
    /// <summary>VXLAN underlying device index (u32).</summary>
    public const ushort IFLA_VXLAN_LINK = 3;
    /// <summary>VXLAN IPv4 local address (4 bytes).</summary>
    public const ushort IFLA_VXLAN_LOCAL = 4;
    /// <summary>VXLAN TTL (u8).</summary>
    public const ushort IFLA_VXLAN_TTL = 5;
    /// <summary>VXLAN source-address learning (u8).</summary>
    public const ushort IFLA_VXLAN_LEARNING = 7;
    /// <summary>VXLAN destination UDP port (be16).</summary>
    public const ushort IFLA_VXLAN_PORT = 15;
    /// <summary>VXLAN IPv6 multicast group or remote address (16 bytes).</summary>
    public const ushort IFLA_VXLAN_GROUP6 = 16;
    /// <summary>VXLAN IPv6 local address (16 bytes).</summary>
    public const ushort IFLA_VXLAN_LOCAL6 = 17;

    /// <summary><c>RTEXT_FILTER_VF</c>: include virtual functions.</summary>
    public const uint RTEXT_FILTER_VF = 1;
    /// <summary><c>RTEXT_FILTER_SKIP_STATS</c>: leave statistics out of dumps.</summary>
    public const uint RTEXT_FILTER_SKIP_STATS = 1 << 3;
}

/// <summary>rtnetlink multicast groups (<c>RTNLGRP_*</c>), for <see cref="NetlinkSocket.JoinGroup"/>.</summary>
public static class Rtnlgrp
{
    /// <summary>Link changes.</summary>
    public const uint RTNLGRP_LINK = 1;
    /// <summary>Neighbour changes.</summary>
    public const uint RTNLGRP_NEIGH = 3;
    /// <summary>IPv4 address changes.</summary>
    public const uint RTNLGRP_IPV4_IFADDR = 5;
    /// <summary>IPv4 route changes.</summary>
    public const uint RTNLGRP_IPV4_ROUTE = 7;
    /// <summary>IPv6 address changes.</summary>
    public const uint RTNLGRP_IPV6_IFADDR = 9;
    /// <summary>IPv6 route changes.</summary>
    public const uint RTNLGRP_IPV6_ROUTE = 11;
}

/// <summary>Neighbour attributes (<c>NDA_*</c> in <c>linux/neighbour.h</c>).</summary>
public static class Nda
{
    /// <summary>Network-layer address (4 or 16 bytes).</summary>
    public const ushort NDA_DST = 1;
    /// <summary>Link-layer address.</summary>
    public const ushort NDA_LLADDR = 2;
    /// <summary>Cache information (<c>struct nda_cacheinfo</c>).</summary>
    public const ushort NDA_CACHEINFO = 3;
    /// <summary>Probe count (u32).</summary>
    public const ushort NDA_PROBES = 4;
    /// <summary>Link index filter of a dump request (u32).</summary>
    public const ushort NDA_IFINDEX = 8;
    /// <summary>Master index filter of a dump request (u32).</summary>
    public const ushort NDA_MASTER = 9;
    /// <summary>Who installed the entry (u8).</summary>
    public const ushort NDA_PROTOCOL = 12;
}

/// <summary>Address families used in rtnetlink headers.</summary>
public static class AddressFamilies
{
    /// <summary><c>AF_UNSPEC</c>.</summary>
    public const byte AF_UNSPEC = 0;
    /// <summary><c>AF_INET</c>.</summary>
    public const byte AF_INET = 2;
    /// <summary><c>AF_BRIDGE</c>.</summary>
    public const byte AF_BRIDGE = 7;
    /// <summary><c>AF_INET6</c>.</summary>
    public const byte AF_INET6 = 10;
    /// <summary><c>AF_PACKET</c>: used by iproute2 for link dumps.</summary>
    public const byte AF_PACKET = 17;
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The address family of an nf_tables table (<c>NFPROTO_*</c> in <c>linux/netfilter.h</c>), as written in <c>nft add table FAMILY NAME</c>.</summary>
public enum NftFamily : byte
{
    /// <summary><c>NFPROTO_UNSPEC</c>: every family (only for listing).</summary>
    Unspecified = 0,
    /// <summary><c>NFPROTO_INET</c>: <c>inet</c>, IPv4 and IPv6 together (NAT chains need Linux 5.2).</summary>
    Inet = 1,
    /// <summary><c>NFPROTO_IPV4</c>: <c>ip</c>.</summary>
    IPv4 = 2,
    /// <summary><c>NFPROTO_ARP</c>: <c>arp</c>.</summary>
    Arp = 3,
    /// <summary><c>NFPROTO_NETDEV</c>: <c>netdev</c>.</summary>
    NetDev = 5,
    /// <summary><c>NFPROTO_BRIDGE</c>: <c>bridge</c>.</summary>
    Bridge = 7,
    /// <summary><c>NFPROTO_IPV6</c>: <c>ip6</c>.</summary>
    IPv6 = 10,
}

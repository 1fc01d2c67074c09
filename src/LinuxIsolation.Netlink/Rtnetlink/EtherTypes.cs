namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Link-layer protocol numbers a filter matches (<c>tc filter ... protocol P</c>; <c>ETH_P_*</c> in <c>linux/if_ether.h</c>).</summary>
public static class EtherTypes
{
    /// <summary><c>ETH_P_ALL</c>: every protocol (<c>protocol all</c>).</summary>
    public const ushort All = 0x0003;
    /// <summary><c>ETH_P_IP</c>: IPv4 (<c>protocol ip</c>).</summary>
    public const ushort IPv4 = 0x0800;
    /// <summary><c>ETH_P_ARP</c>: ARP (<c>protocol arp</c>).</summary>
    public const ushort Arp = 0x0806;
    /// <summary><c>ETH_P_IPV6</c>: IPv6 (<c>protocol ipv6</c>).</summary>
    public const ushort IPv6 = 0x86DD;
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Which iptables a host uses: the legacy x_tables one or the nf_tables-backed one (<c>iptables --version</c> says <c>(legacy)</c> or <c>(nf_tables)</c>).</summary>
public enum IptablesVariant
{
    /// <summary><c>iptables-legacy</c>: x_tables in the kernel.</summary>
    Legacy,
    /// <summary><c>iptables-nft</c>: iptables rules kept in nf_tables tables named <c>ip filter</c>, <c>ip nat</c>, ...</summary>
    Nft,
}

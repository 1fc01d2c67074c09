namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The kind of a nat expression (<c>enum nft_nat_types</c>).</summary>
public enum NftNatType : uint
{
    /// <summary><c>NFT_NAT_SNAT</c>: <c>snat to ...</c>.</summary>
    Snat = 0,
    /// <summary><c>NFT_NAT_DNAT</c>: <c>dnat to ...</c>.</summary>
    Dnat = 1,
}

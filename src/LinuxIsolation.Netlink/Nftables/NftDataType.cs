namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// nft's data type ids for set keys and map data (<c>NFTA_SET_KEY_TYPE</c>, <c>NFTA_SET_DATA_TYPE</c>): the kernel
/// stores them for nft, which uses them to print elements (<c>type ipv4_addr</c>). Values from nft's <c>enum datatypes</c>.
/// </summary>
public static class NftDataType
{
    /// <summary><c>verdict</c> (maps to verdicts; <c>NFT_DATA_VERDICT</c>).</summary>
    public const uint Verdict = 0xffffff00;
    /// <summary><c>mark</c>, 4 bytes.</summary>
    public const uint Mark = 19;
    /// <summary><c>ipv4_addr</c>, 4 bytes.</summary>
    public const uint IPv4Address = 7;
    /// <summary><c>ipv6_addr</c>, 16 bytes.</summary>
    public const uint IPv6Address = 8;
    /// <summary><c>inet_proto</c>, 1 byte.</summary>
    public const uint InetProtocol = 12;
    /// <summary><c>inet_service</c> (a port), 2 bytes.</summary>
    public const uint InetService = 13;
    /// <summary><c>ifname</c>, 16 bytes.</summary>
    public const uint InterfaceName = 41;
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The header a payload expression reads from (<c>enum nft_payload_bases</c>).</summary>
public enum NftPayloadBase : uint
{
    /// <summary><c>NFT_PAYLOAD_LL_HEADER</c>: the link-layer header.</summary>
    LinkLayer = 0,
    /// <summary><c>NFT_PAYLOAD_NETWORK_HEADER</c>: the IPv4 or IPv6 header.</summary>
    Network = 1,
    /// <summary><c>NFT_PAYLOAD_TRANSPORT_HEADER</c>: the TCP, UDP, ... header.</summary>
    Transport = 2,
    /// <summary><c>NFT_PAYLOAD_INNER_HEADER</c>: the inner header of a tunnel (Linux 6.2).</summary>
    Inner = 3,
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Packet metadata a meta expression loads (<c>enum nft_meta_keys</c>); the common ones.</summary>
public enum NftMetaKey : uint
{
    /// <summary><c>NFT_META_LEN</c>: <c>meta length</c>.</summary>
    Length = 0,
    /// <summary><c>NFT_META_PROTOCOL</c>: <c>meta protocol</c> (ethertype).</summary>
    Protocol = 1,
    /// <summary><c>NFT_META_PRIORITY</c>: <c>meta priority</c>.</summary>
    Priority = 2,
    /// <summary><c>NFT_META_MARK</c>: <c>meta mark</c>.</summary>
    Mark = 3,
    /// <summary><c>NFT_META_IIF</c>: <c>iif</c> (input interface index).</summary>
    InputInterface = 4,
    /// <summary><c>NFT_META_OIF</c>: <c>oif</c> (output interface index).</summary>
    OutputInterface = 5,
    /// <summary><c>NFT_META_IIFNAME</c>: <c>iifname</c>.</summary>
    InputInterfaceName = 6,
    /// <summary><c>NFT_META_OIFNAME</c>: <c>oifname</c>.</summary>
    OutputInterfaceName = 7,
    /// <summary><c>NFT_META_SKUID</c>: <c>meta skuid</c>.</summary>
    SocketUid = 10,
    /// <summary><c>NFT_META_SKGID</c>: <c>meta skgid</c>.</summary>
    SocketGid = 11,
    /// <summary><c>NFT_META_NFPROTO</c>: <c>meta nfproto</c> (ipv4 or ipv6 in an inet table).</summary>
    NfProto = 15,
    /// <summary><c>NFT_META_L4PROTO</c>: <c>meta l4proto</c>.</summary>
    L4Proto = 16,
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Connection-tracking data a ct expression loads (<c>enum nft_ct_keys</c>); the common ones.</summary>
public enum NftCtKey : uint
{
    /// <summary><c>NFT_CT_STATE</c>: <c>ct state</c> (a bit mask of <see cref="NftCtState"/>).</summary>
    State = 0,
    /// <summary><c>NFT_CT_DIRECTION</c>: <c>ct direction</c>.</summary>
    Direction = 1,
    /// <summary><c>NFT_CT_STATUS</c>: <c>ct status</c>.</summary>
    Status = 2,
    /// <summary><c>NFT_CT_MARK</c>: <c>ct mark</c>.</summary>
    Mark = 3,
    /// <summary><c>NFT_CT_L3PROTOCOL</c>: <c>ct l3proto</c>.</summary>
    L3Protocol = 7,
    /// <summary><c>NFT_CT_PROTOCOL</c>: <c>ct protocol</c>.</summary>
    Protocol = 10,
}

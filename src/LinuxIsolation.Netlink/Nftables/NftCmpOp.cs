namespace LinuxIsolation.Netlink.Nftables;

/// <summary>A comparison (<c>enum nft_cmp_ops</c>).</summary>
public enum NftCmpOp : uint
{
    /// <summary><c>NFT_CMP_EQ</c>: <c>==</c>.</summary>
    Equal = 0,
    /// <summary><c>NFT_CMP_NEQ</c>: <c>!=</c>.</summary>
    NotEqual = 1,
    /// <summary><c>NFT_CMP_LT</c>: <c>&lt;</c>.</summary>
    LessThan = 2,
    /// <summary><c>NFT_CMP_LTE</c>: <c>&lt;=</c>.</summary>
    LessThanOrEqual = 3,
    /// <summary><c>NFT_CMP_GT</c>: <c>&gt;</c>.</summary>
    GreaterThan = 4,
    /// <summary><c>NFT_CMP_GTE</c>: <c>&gt;=</c>.</summary>
    GreaterThanOrEqual = 5,
}

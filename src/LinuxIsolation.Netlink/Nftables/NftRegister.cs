namespace LinuxIsolation.Netlink.Nftables;

/// <summary>An nf_tables register (<c>enum nft_registers</c>): the verdict register and the four 16-byte data registers.</summary>
public enum NftRegister : uint
{
    /// <summary><c>NFT_REG_VERDICT</c>.</summary>
    Verdict = 0,
    /// <summary><c>NFT_REG_1</c>.</summary>
    R1 = 1,
    /// <summary><c>NFT_REG_2</c>.</summary>
    R2 = 2,
    /// <summary><c>NFT_REG_3</c>.</summary>
    R3 = 3,
    /// <summary><c>NFT_REG_4</c>.</summary>
    R4 = 4,
}

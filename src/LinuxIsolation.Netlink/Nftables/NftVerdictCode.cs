namespace LinuxIsolation.Netlink.Nftables;

/// <summary>A verdict (<c>NF_ACCEPT</c>, <c>NF_DROP</c> and <c>enum nft_verdicts</c> in <c>linux/netfilter/nf_tables.h</c>).</summary>
public enum NftVerdictCode
{
    /// <summary><c>NF_DROP</c>: <c>drop</c>.</summary>
    Drop = 0,
    /// <summary><c>NF_ACCEPT</c>: <c>accept</c>.</summary>
    Accept = 1,
    /// <summary><c>NFT_CONTINUE</c>: <c>continue</c>.</summary>
    Continue = -1,
    /// <summary><c>NFT_BREAK</c>: stop evaluating this rule.</summary>
    Break = -2,
    /// <summary><c>NFT_JUMP</c>: <c>jump CHAIN</c>.</summary>
    Jump = -3,
    /// <summary><c>NFT_GOTO</c>: <c>goto CHAIN</c>.</summary>
    Goto = -4,
    /// <summary><c>NFT_RETURN</c>: <c>return</c>.</summary>
    Return = -5,
}

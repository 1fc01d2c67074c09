namespace LinuxIsolation.Netlink.Nftables;

/// <summary>What one message of an <see cref="NftTransaction"/> does.</summary>
public enum NftOperationKind
{
    /// <summary><c>nft add table</c> (<c>NFT_MSG_NEWTABLE</c>; no error if it exists).</summary>
    AddTable,
    /// <summary><c>nft create table</c> (<c>NFT_MSG_NEWTABLE</c> with <c>NLM_F_EXCL</c>).</summary>
    CreateTable,
    /// <summary><c>nft delete table</c> (<c>NFT_MSG_DELTABLE</c>), with everything in it.</summary>
    DeleteTable,
    /// <summary><c>nft add chain</c> (<c>NFT_MSG_NEWCHAIN</c>).</summary>
    AddChain,
    /// <summary><c>nft delete chain</c> (<c>NFT_MSG_DELCHAIN</c>).</summary>
    DeleteChain,
    /// <summary><c>nft add rule</c> (<c>NFT_MSG_NEWRULE</c> with <c>NLM_F_APPEND</c>).</summary>
    AddRule,
    /// <summary><c>nft insert rule</c> (<c>NFT_MSG_NEWRULE</c> without <c>NLM_F_APPEND</c>).</summary>
    InsertRule,
    /// <summary><c>nft replace rule ... handle H</c> (<c>NFT_MSG_NEWRULE</c> with <c>NLM_F_REPLACE</c>).</summary>
    ReplaceRule,
    /// <summary><c>nft delete rule ... handle H</c> (<c>NFT_MSG_DELRULE</c>).</summary>
    DeleteRule,
    /// <summary><c>nft add set</c> / <c>nft add map</c> (<c>NFT_MSG_NEWSET</c>).</summary>
    AddSet,
    /// <summary><c>nft delete set</c> (<c>NFT_MSG_DELSET</c>).</summary>
    DeleteSet,
    /// <summary><c>nft add element</c> (<c>NFT_MSG_NEWSETELEM</c>).</summary>
    AddElements,
    /// <summary><c>nft delete element</c> (<c>NFT_MSG_DELSETELEM</c>).</summary>
    DeleteElements,
}

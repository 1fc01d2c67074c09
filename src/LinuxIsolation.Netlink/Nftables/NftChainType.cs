namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The type of a base chain (<c>NFTA_CHAIN_TYPE</c>), as in <c>type nat hook ...</c>.</summary>
public enum NftChainType
{
    /// <summary><c>filter</c>: accept or drop packets.</summary>
    Filter,
    /// <summary><c>nat</c>: address translation; only the first packet of a connection passes it.</summary>
    Nat,
    /// <summary><c>route</c>: reroute packets whose marks or addresses change (output hook).</summary>
    Route,
}

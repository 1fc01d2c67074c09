using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Set flags (<c>enum nft_set_flags</c>).</summary>
[Flags]
public enum NftSetFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary><c>NFT_SET_ANONYMOUS</c>: bound to one rule.</summary>
    Anonymous = 0x1,
    /// <summary><c>NFT_SET_CONSTANT</c>: <c>flags constant</c>.</summary>
    Constant = 0x2,
    /// <summary><c>NFT_SET_INTERVAL</c>: <c>flags interval</c>.</summary>
    Interval = 0x4,
    /// <summary><c>NFT_SET_MAP</c>: a map (elements carry data).</summary>
    Map = 0x8,
    /// <summary><c>NFT_SET_TIMEOUT</c>: <c>flags timeout</c>.</summary>
    Timeout = 0x10,
    /// <summary><c>NFT_SET_EVAL</c>: <c>flags dynamic</c>.</summary>
    Eval = 0x20,
    /// <summary><c>NFT_SET_OBJECT</c>: an object map.</summary>
    ObjectMap = 0x40,
    /// <summary><c>NFT_SET_CONCAT</c>: concatenated keys.</summary>
    Concat = 0x80,
}

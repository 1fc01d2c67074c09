using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Connection-tracking states as <c>ct state</c> matches them (<c>NF_CT_STATE_BIT</c> of <c>enum ip_conntrack_info</c>, <c>NF_CT_STATE_INVALID_BIT</c>, <c>NF_CT_STATE_UNTRACKED_BIT</c>).</summary>
[Flags]
public enum NftCtState : uint
{
    /// <summary>No state.</summary>
    None = 0,
    /// <summary><c>invalid</c>.</summary>
    Invalid = 1,
    /// <summary><c>established</c>.</summary>
    Established = 2,
    /// <summary><c>related</c>.</summary>
    Related = 4,
    /// <summary><c>new</c>.</summary>
    New = 8,
    /// <summary><c>untracked</c>.</summary>
    Untracked = 64,
}

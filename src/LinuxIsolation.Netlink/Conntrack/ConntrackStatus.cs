using System;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// The status bits of a conntrack entry (<c>CTA_STATUS</c>, <c>enum ip_conntrack_status</c> in
/// <c>linux/netfilter/nf_conntrack_common.h</c>), as <c>conntrack -L</c> shows some of them (<c>[UNREPLIED]</c> is the
/// absence of <see cref="SeenReply"/>, <c>[ASSURED]</c> is <see cref="Assured"/>).
/// </summary>
[Flags]
public enum ConntrackStatus : uint
{
    /// <summary>No bit set.</summary>
    None = 0,
    /// <summary><c>IPS_EXPECTED</c>: an expected connection (a helper's related flow).</summary>
    Expected = 1 << 0,
    /// <summary><c>IPS_SEEN_REPLY</c>: packets were seen in both directions.</summary>
    SeenReply = 1 << 1,
    /// <summary><c>IPS_ASSURED</c>: the entry is not dropped early when the table is full.</summary>
    Assured = 1 << 2,
    /// <summary><c>IPS_CONFIRMED</c>: the entry is in the table (its first packet left the stack).</summary>
    Confirmed = 1 << 3,
    /// <summary><c>IPS_SRC_NAT</c>: source NAT applies (the reply's destination differs from the original's source).</summary>
    SourceNat = 1 << 4,
    /// <summary><c>IPS_DST_NAT</c>: destination NAT applies (DNAT, e.g. a published port).</summary>
    DestinationNat = 1 << 5,
    /// <summary><c>IPS_SEQ_ADJUST</c>: TCP sequence numbers are adjusted (a helper rewrote payload).</summary>
    SequenceAdjust = 1 << 6,
    /// <summary><c>IPS_SRC_NAT_DONE</c>.</summary>
    SourceNatDone = 1 << 7,
    /// <summary><c>IPS_DST_NAT_DONE</c>.</summary>
    DestinationNatDone = 1 << 8,
    /// <summary><c>IPS_DYING</c>: being removed.</summary>
    Dying = 1 << 9,
    /// <summary><c>IPS_FIXED_TIMEOUT</c>: the timeout is not refreshed by traffic.</summary>
    FixedTimeout = 1 << 10,
    /// <summary><c>IPS_TEMPLATE</c>: a template (CT target), not a real connection.</summary>
    Template = 1 << 11,
    /// <summary><c>IPS_UNTRACKED</c> (obsolete).</summary>
    Untracked = 1 << 12,
    /// <summary><c>IPS_HELPER</c>: a helper was assigned explicitly.</summary>
    Helper = 1 << 13,
    /// <summary><c>IPS_OFFLOAD</c>: offloaded to a flow table (software fast path).</summary>
    Offload = 1 << 14,
    /// <summary><c>IPS_HW_OFFLOAD</c>: offloaded to hardware.</summary>
    HardwareOffload = 1 << 15,
}

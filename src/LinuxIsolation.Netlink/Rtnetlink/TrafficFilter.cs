using System;
using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A traffic control filter, as <c>tc filter show dev DEV parent P</c> lists it. A u32 filter shows as several entries:
/// its priority's head (no handle), its hash table (<c>fh 800:</c>) and each match (<c>fh 800::800</c>, with the class
/// and actions).
/// </summary>
/// <param name="LinkIndex">The link (<c>tcm_ifindex</c>).</param>
/// <param name="Kind">The classifier (<c>TCA_KIND</c>), e.g. "u32", "matchall", "flower", "bpf".</param>
/// <param name="Parent">The qdisc or class it hangs from (<c>tcm_parent</c>), e.g. <c>ffff:</c> for the ingress qdisc.</param>
/// <param name="Handle">The filter's handle (<c>fh</c>; for u32, <c>htid:hash:node</c> packed in 32 bits).</param>
/// <param name="Priority">Its priority (<c>pref</c>; the high 16 bits of <c>tcm_info</c>).</param>
/// <param name="Protocol">The link-layer protocol it matches (<see cref="EtherTypes"/>; the low 16 bits of <c>tcm_info</c>).</param>
public sealed record TrafficFilter(int LinkIndex, string Kind, TrafficControlHandle Parent, uint Handle, ushort Priority, ushort Protocol)
{
    /// <summary>The class a match assigns (<c>flowid</c>/<c>classid</c>; <c>TCA_U32_CLASSID</c>).</summary>
    public TrafficControlHandle? ClassId { get; init; }

    /// <summary>The actions run on a match (<c>TCA_U32_ACT</c>), in order; empty when there are none.</summary>
    public IReadOnlyList<TrafficAction> Actions { get; init; } = Array.Empty<TrafficAction>();

    /// <summary>The filter chain (<c>TCA_CHAIN</c>, Linux 4.13); 0 is the default chain.</summary>
    public uint? Chain { get; init; }
}

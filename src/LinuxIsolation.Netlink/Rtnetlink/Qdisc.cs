using System.Text;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A queueing discipline of a link, as <c>tc -s qdisc show</c> lists it. Options are decoded for the kinds this library
/// creates (<see cref="TokenBucket"/> for <c>tbf</c>; <c>ingress</c> has none); attributes the kernel did not send are null.
/// </summary>
/// <param name="LinkIndex">The link it belongs to (<c>tcm_ifindex</c>).</param>
/// <param name="Kind">Its kind (<c>TCA_KIND</c>): "tbf", "ingress", "htb", "noqueue", "pfifo_fast", "fq_codel", ...</param>
/// <param name="Handle">Its handle (<c>tcm_handle</c>), e.g. <c>1:</c>, <c>ffff:</c>.</param>
/// <param name="Parent">Its parent (<c>tcm_parent</c>): <see cref="TrafficControlHandle.Root"/>, <see cref="TrafficControlHandle.Ingress"/> or a class.</param>
public sealed record Qdisc(int LinkIndex, string Kind, TrafficControlHandle Handle, TrafficControlHandle Parent)
{
    /// <summary>The token bucket settings of a <c>tbf</c> qdisc (<c>TCA_OPTIONS</c>: <c>TCA_TBF_PARMS</c>, <c>TCA_TBF_RATE64</c>, <c>TCA_TBF_PRATE64</c>).</summary>
    public TokenBucket? TokenBucket { get; init; }

    /// <summary>The counters (<c>TCA_STATS2</c>, or the older <c>TCA_STATS</c>).</summary>
    public TrafficControlStatistics? Statistics { get; init; }

    /// <summary>True for the qdisc at the root of the link's egress (<c>root</c>).</summary>
    public bool IsRoot => Parent == TrafficControlHandle.Root;

    /// <summary>True for the ingress (or clsact) qdisc.</summary>
    public bool IsIngress => Parent == TrafficControlHandle.Ingress;

    /// <summary>The qdisc as <c>tc qdisc show</c> heads its line: <c>qdisc tbf 1: root</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("qdisc ").Append(Kind).Append(' ').Append(Handle);
        sb.Append(IsRoot ? " root" : IsIngress ? " parent ffff:fff1" : " parent " + Parent);
        return sb.ToString();
    }
}

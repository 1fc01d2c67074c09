namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>What a <c>mirred</c> action does with a packet (<c>TCA_*_REDIR</c>, <c>TCA_*_MIRROR</c> in <c>linux/tc_act/tc_mirred.h</c>).</summary>
public enum MirredAction
{
    /// <summary><c>TCA_EGRESS_REDIR</c>: send the packet out of the target link instead (<c>mirred egress redirect dev T</c>); with an ifb target, the way to shape a link's ingress.</summary>
    EgressRedirect = 1,
    /// <summary><c>TCA_EGRESS_MIRROR</c>: send a copy out of the target link (<c>mirred egress mirror dev T</c>).</summary>
    EgressMirror = 2,
    /// <summary><c>TCA_INGRESS_REDIR</c>: deliver the packet as received by the target link (<c>mirred ingress redirect dev T</c>).</summary>
    IngressRedirect = 3,
    /// <summary><c>TCA_INGRESS_MIRROR</c>: deliver a copy as received by the target link (<c>mirred ingress mirror dev T</c>).</summary>
    IngressMirror = 4,
}

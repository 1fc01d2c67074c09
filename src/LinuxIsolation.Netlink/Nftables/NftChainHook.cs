namespace LinuxIsolation.Netlink.Nftables;

/// <summary>The netfilter hook a base chain is attached to (<c>NF_INET_*</c> in <c>linux/netfilter.h</c>), as in <c>hook postrouting</c>.</summary>
public enum NftChainHook
{
    /// <summary><c>NF_INET_PRE_ROUTING</c>: <c>prerouting</c> (also <c>ingress</c> in the netdev family).</summary>
    Prerouting = 0,
    /// <summary><c>NF_INET_LOCAL_IN</c>: <c>input</c>.</summary>
    Input = 1,
    /// <summary><c>NF_INET_FORWARD</c>: <c>forward</c>.</summary>
    Forward = 2,
    /// <summary><c>NF_INET_LOCAL_OUT</c>: <c>output</c>.</summary>
    Output = 3,
    /// <summary><c>NF_INET_POST_ROUTING</c>: <c>postrouting</c>.</summary>
    Postrouting = 4,
}

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// The TCP state the kernel tracks for a connection (<c>CTA_PROTOINFO_TCP_STATE</c>, <c>enum tcp_conntrack</c> in
/// <c>linux/netfilter/nf_conntrack_tcp.h</c>); <c>conntrack -L</c> prints it in capitals (<c>ESTABLISHED</c>).
/// </summary>
public enum TcpConntrackState : byte
{
    /// <summary><c>TCP_CONNTRACK_NONE</c>.</summary>
    None = 0,
    /// <summary><c>TCP_CONNTRACK_SYN_SENT</c>.</summary>
    SynSent = 1,
    /// <summary><c>TCP_CONNTRACK_SYN_RECV</c>.</summary>
    SynReceived = 2,
    /// <summary><c>TCP_CONNTRACK_ESTABLISHED</c>.</summary>
    Established = 3,
    /// <summary><c>TCP_CONNTRACK_FIN_WAIT</c>.</summary>
    FinWait = 4,
    /// <summary><c>TCP_CONNTRACK_CLOSE_WAIT</c>.</summary>
    CloseWait = 5,
    /// <summary><c>TCP_CONNTRACK_LAST_ACK</c>.</summary>
    LastAck = 6,
    /// <summary><c>TCP_CONNTRACK_TIME_WAIT</c>.</summary>
    TimeWait = 7,
    /// <summary><c>TCP_CONNTRACK_CLOSE</c>.</summary>
    Close = 8,
    /// <summary><c>TCP_CONNTRACK_SYN_SENT2</c> (formerly <c>LISTEN</c>): simultaneous open.</summary>
    SynSent2 = 9,
}

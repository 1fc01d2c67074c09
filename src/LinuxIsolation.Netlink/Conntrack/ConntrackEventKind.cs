namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>What a <see cref="ConntrackEvent"/> reports, as <c>conntrack -E</c> tags its lines (<c>[NEW]</c>, <c>[UPDATE]</c>, <c>[DESTROY]</c>).</summary>
public enum ConntrackEventKind
{
    /// <summary>
    /// Events were lost: the socket's receive buffer overflowed (<c>ENOBUFS</c>). The kernel goes on dropping
    /// notifications until the backlog has been read, so whatever state the consumer tracks is stale from here: keep
    /// reading, and list the table again. The monitor keeps running.
    /// </summary>
    Overrun = 0,
    /// <summary>A connection was confirmed (<c>IPCTNL_MSG_CT_NEW</c> with <c>NLM_F_CREATE</c>, group <c>NFNLGRP_CONNTRACK_NEW</c>).</summary>
    New,
    /// <summary>An entry changed: a reply was seen, the TCP state, status, mark or labels changed (<c>IPCTNL_MSG_CT_NEW</c>, group <c>NFNLGRP_CONNTRACK_UPDATE</c>).</summary>
    Update,
    /// <summary>An entry was removed: it expired, was deleted or flushed (<c>IPCTNL_MSG_CT_DELETE</c>, group <c>NFNLGRP_CONNTRACK_DESTROY</c>); with accounting on, the final counters come with it.</summary>
    Destroy,
}

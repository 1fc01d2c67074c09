namespace LinuxIsolation.Netlink;

/// <summary>Netlink protocol families (<c>NETLINK_*</c> in <c>linux/netlink.h</c>), the third argument of <c>socket(AF_NETLINK, ...)</c>.</summary>
public enum NetlinkProtocol
{
    /// <summary><c>NETLINK_ROUTE</c>: rtnetlink (links, addresses, routes, neighbours, rules, qdiscs).</summary>
    Route = 0,
    /// <summary><c>NETLINK_SOCK_DIAG</c>: socket monitoring.</summary>
    SockDiag = 4,
    /// <summary><c>NETLINK_AUDIT</c>: the audit subsystem.</summary>
    Audit = 9,
    /// <summary><c>NETLINK_NETFILTER</c>: nfnetlink (nf_tables, conntrack).</summary>
    Netfilter = 12,
    /// <summary><c>NETLINK_KOBJECT_UEVENT</c>: kernel uevents.</summary>
    KObjectUEvent = 15,
    /// <summary><c>NETLINK_GENERIC</c>: generic netlink.</summary>
    Generic = 16,
}

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Route types (<c>RTN_*</c> in <c>linux/rtnetlink.h</c>), as <c>ip route add TYPE PREFIX</c> takes them.</summary>
public enum RouteType : byte
{
    /// <summary><c>RTN_UNSPEC</c>.</summary>
    Unspecified = 0,
    /// <summary><c>RTN_UNICAST</c>: a gateway or a direct route.</summary>
    Unicast = 1,
    /// <summary><c>RTN_LOCAL</c>: an address of this host.</summary>
    Local = 2,
    /// <summary><c>RTN_BROADCAST</c>: accepted locally as broadcast, sent as broadcast.</summary>
    Broadcast = 3,
    /// <summary><c>RTN_ANYCAST</c>: accepted locally as broadcast, sent as unicast.</summary>
    Anycast = 4,
    /// <summary><c>RTN_MULTICAST</c>: a multicast route.</summary>
    Multicast = 5,
    /// <summary><c>RTN_BLACKHOLE</c>: drop silently.</summary>
    Blackhole = 6,
    /// <summary><c>RTN_UNREACHABLE</c>: drop, answer "host unreachable".</summary>
    Unreachable = 7,
    /// <summary><c>RTN_PROHIBIT</c>: drop, answer "administratively prohibited".</summary>
    Prohibit = 8,
    /// <summary><c>RTN_THROW</c>: continue the lookup in another table.</summary>
    Throw = 9,
    /// <summary><c>RTN_NAT</c>: translate the address.</summary>
    Nat = 10,
    /// <summary><c>RTN_XRESOLVE</c>: use an external resolver.</summary>
    ExternalResolve = 11,
}

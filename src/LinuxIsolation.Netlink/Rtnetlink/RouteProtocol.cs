namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Who installed a route (<c>RTPROT_*</c> in <c>linux/rtnetlink.h</c> and iproute2's <c>rt_protos</c>), as
/// <c>ip route add ... proto PROTO</c> takes it. Values not named here are kept as numbers.
/// </summary>
public enum RouteProtocol : byte
{
    /// <summary><c>RTPROT_UNSPEC</c>.</summary>
    Unspecified = 0,
    /// <summary><c>RTPROT_REDIRECT</c>: an ICMP redirect.</summary>
    Redirect = 1,
    /// <summary><c>RTPROT_KERNEL</c>: the kernel (prefix routes of addresses).</summary>
    Kernel = 2,
    /// <summary><c>RTPROT_BOOT</c>: during boot; what <c>ip route add</c> uses by default.</summary>
    Boot = 3,
    /// <summary><c>RTPROT_STATIC</c>: by the administrator.</summary>
    Static = 4,
    /// <summary><c>RTPROT_RA</c>: IPv6 router advertisement.</summary>
    RouterAdvertisement = 9,
    /// <summary><c>RTPROT_DHCP</c>: a DHCP client.</summary>
    Dhcp = 16,
    /// <summary><c>RTPROT_KEEPALIVED</c>.</summary>
    Keepalived = 18,
    /// <summary><c>RTPROT_BABEL</c>.</summary>
    Babel = 42,
    /// <summary><c>RTPROT_BGP</c>.</summary>
    Bgp = 186,
    /// <summary><c>RTPROT_ISIS</c>.</summary>
    Isis = 187,
    /// <summary><c>RTPROT_OSPF</c>.</summary>
    Ospf = 188,
    /// <summary><c>RTPROT_RIP</c>.</summary>
    Rip = 189,
}

using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Which rtnetlink change notifications an <see cref="RtnetlinkMonitor"/> subscribes to (<c>RTNLGRP_*</c>), as <c>ip monitor OBJECTS</c> selects them.</summary>
[Flags]
public enum RtnetlinkEventGroups
{
    /// <summary>Nothing.</summary>
    None = 0,
    /// <summary>Links (<c>RTNLGRP_LINK</c>; <c>ip monitor link</c>).</summary>
    Links = 1,
    /// <summary>IPv4 addresses (<c>RTNLGRP_IPV4_IFADDR</c>).</summary>
    IPv4Addresses = 2,
    /// <summary>IPv6 addresses (<c>RTNLGRP_IPV6_IFADDR</c>).</summary>
    IPv6Addresses = 4,
    /// <summary>IPv4 routes (<c>RTNLGRP_IPV4_ROUTE</c>).</summary>
    IPv4Routes = 8,
    /// <summary>IPv6 routes (<c>RTNLGRP_IPV6_ROUTE</c>).</summary>
    IPv6Routes = 16,
    /// <summary>Neighbours (<c>RTNLGRP_NEIGH</c>; <c>ip monitor neigh</c>).</summary>
    Neighbours = 32,
    /// <summary>Addresses of both families (<c>ip monitor address</c>).</summary>
    Addresses = IPv4Addresses | IPv6Addresses,
    /// <summary>Routes of both families (<c>ip monitor route</c>).</summary>
    Routes = IPv4Routes | IPv6Routes,
    /// <summary>Links, addresses, routes and neighbours.</summary>
    All = Links | Addresses | Routes | Neighbours,
}

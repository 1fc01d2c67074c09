using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A route: what <see cref="RtnetlinkClient.AddRoute"/> installs and what <see cref="RtnetlinkClient.ListRoutes"/>
/// reports (<c>ip route</c>). Settings left null when adding are chosen as iproute2 chooses them; in a route
/// read from the kernel, null means the kernel did not send the attribute.
/// </summary>
public sealed record Route
{
    /// <summary>The destination prefix; <c>0.0.0.0/0</c> or <c>::/0</c> for a default route. Its family is the route's.</summary>
    public required IPNetwork Destination { get; init; }

    /// <summary>The gateway (<c>via</c>, <c>RTA_GATEWAY</c>), of the destination's family; null for a direct route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output link index (<c>dev</c>, <c>RTA_OIF</c>); null to let the kernel find it from the gateway.</summary>
    public int? OutputIndex { get; init; }

    /// <summary>The routing table (<c>table</c>); 254 is main, 255 local. Ids above 255 travel in <c>RTA_TABLE</c>.</summary>
    public uint Table { get; init; } = RouteMessages.RT_TABLE_MAIN;

    /// <summary>The metric (<c>metric</c>, <c>RTA_PRIORITY</c>); null for 0 (IPv4) or the kernel's default (IPv6: 1024).</summary>
    public uint? Metric { get; init; }

    /// <summary>The scope; null when adding picks iproute2's choice: link for a direct unicast route, host for local, universe otherwise.</summary>
    public RouteScope? Scope { get; init; }

    /// <summary>Who installed the route (<c>proto</c>); null when adding means <see cref="RouteProtocol.Boot"/>, as with <c>ip route add</c>.</summary>
    public RouteProtocol? Protocol { get; init; }

    /// <summary>The preferred source address (<c>src</c>, <c>RTA_PREFSRC</c>), of the destination's family.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The route type; null when adding means <see cref="RouteType.Unicast"/>.</summary>
    public RouteType? Type { get; init; }

    /// <summary>The next hops of a multipath route (<c>nexthop ...</c>, <c>RTA_MULTIPATH</c>); null for a single-path route.</summary>
    public IReadOnlyList<RouteNextHop>? NextHops { get; init; }

    /// <summary>The route's address family (that of <see cref="Destination"/>).</summary>
    public AddressFamily Family => Destination.BaseAddress?.AddressFamily ?? AddressFamily.Unspecified;

    /// <summary>True for a default route (prefix length 0).</summary>
    public bool IsDefault => Destination.PrefixLength == 0;

    /// <summary>A default route through <paramref name="gateway"/> (<c>ip route add default via GATEWAY [dev IFINDEX]</c>), in the gateway's family.</summary>
    public static Route DefaultVia(IPAddress gateway, int? outputIndex = null)
    {
        System.ArgumentNullException.ThrowIfNull(gateway);
        IPAddress any = gateway.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new Route { Destination = new IPNetwork(any, 0), Gateway = gateway, OutputIndex = outputIndex };
    }
}

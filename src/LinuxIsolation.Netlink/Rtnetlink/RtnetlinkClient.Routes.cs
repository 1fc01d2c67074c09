using System;
using System.Collections.Generic;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Adds a route. Equivalent to: <c>ip route add [TYPE] PREFIX [via GW] [dev IFINDEX] [metric M] [table T] [proto P] [scope S] [src A] [nexthop via GW dev IFINDEX weight W ...]</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The route is inconsistent (families, indexes, next hops; checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused: EEXIST (already there), ENETUNREACH (gateway not reachable, "Nexthop has invalid gateway"),
    /// ENODEV, EINVAL (e.g. "Invalid prefix for given prefix length"), with the kernel's text.
    /// </exception>
    public void AddRoute(Route route) => ChangeRoute(route, replace: false);

    /// <summary>Adds a route or replaces the one with the same destination, table, metric (and for IPv4, TOS). Equivalent to: <c>ip route replace ...</c>. Needs CAP_NET_ADMIN.</summary>
    /// <inheritdoc cref="AddRoute"/>
    public void ReplaceRoute(Route route) => ChangeRoute(route, replace: true);

    /// <summary>
    /// Deletes the route matching <paramref name="route"/> (destination and table, plus gateway, device, metric,
    /// protocol, scope and type when given). Equivalent to: <c>ip route del PREFIX [via GW] [dev IFINDEX] [table T] ...</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The route is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ESRCH (no such route).</exception>
    public void DeleteRoute(Route route)
    {
        RouteMessages.Validate(route);
        _requests.Execute(route, static (ref NetlinkWriter w, Route r) => RouteMessages.WriteDelete(ref w, r),
            $"RTM_DELROUTE {route.Destination} table {route.Table}", RouteMessages.FamilyHeaderSize, RequestSize(route));
    }

    /// <summary>
    /// Lists the routes of one table (or every table), filtered by the kernel. Equivalent to:
    /// <c>ip [-4|-6] route show [table T|all]</c> (iproute2 shows the main table by default, as this does).
    /// </summary>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/> (both), <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="table">A table id (254 main, 255 local), or 0 for every table.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted by a concurrent change.</param>
    /// <returns>The routes; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentException">The family is not one of the three above.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<Route> ListRoutes(AddressFamily family = AddressFamily.Unspecified, uint table = RouteMessages.RT_TABLE_MAIN, int maxRetries = 3)
    {
        _ = AddressMessages.ToKernelFamily(family);
        return _requests.Dump<(AddressFamily, uint), Route>((family, table), static (ref NetlinkWriter w, (AddressFamily Family, uint Table) s) => RouteMessages.WriteDump(ref w, s.Family, s.Table),
            ParseRoute, maxRetries, "RTM_GETROUTE dump", RouteMessages.FamilyHeaderSize);
    }

    private void ChangeRoute(Route route, bool replace)
    {
        RouteMessages.Validate(route);
        _requests.Execute((route, replace), static (ref NetlinkWriter w, (Route Route, bool Replace) s) => RouteMessages.WriteAdd(ref w, s.Route, s.Replace),
            $"RTM_NEWROUTE {route.Destination}{(route.Gateway is null ? string.Empty : $" via {route.Gateway}")} table {route.Table}{(replace ? " (replace)" : string.Empty)}",
            RouteMessages.FamilyHeaderSize, RequestSize(route));
    }

    /// <summary>Room for a route's request: next hops take up to 32 bytes each.</summary>
    private static int RequestSize(Route route) => SmallRequest + ((route.NextHops?.Count ?? 0) * 32);

    private static bool ParseRoute(NetlinkMessage message, out Route route)
    {
        bool ok = RouteMessages.TryParse(message, out Route? parsed);
        route = parsed!;
        return ok;
    }
}

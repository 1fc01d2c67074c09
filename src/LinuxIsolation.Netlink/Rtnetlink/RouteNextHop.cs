using System.Net;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// One next hop of a multipath route (<c>struct rtnexthop</c> in <c>RTA_MULTIPATH</c>), as
/// <c>ip route add PREFIX nexthop via GATEWAY dev DEV weight W ...</c> takes it.
/// </summary>
/// <param name="Gateway">The gateway, or null for a direct next hop (then <paramref name="OutputIndex"/> is needed).</param>
/// <param name="OutputIndex">The output link index, or 0 to let the kernel find it from the gateway.</param>
/// <param name="Weight">The relative weight, 1 to 256 (<c>rtnh_hops</c> + 1).</param>
public sealed record RouteNextHop(IPAddress? Gateway, int OutputIndex = 0, int Weight = 1);

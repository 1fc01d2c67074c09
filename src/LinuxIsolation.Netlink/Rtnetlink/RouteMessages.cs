using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoder of route messages (<c>RTM_NEWROUTE</c>, <c>RTM_DELROUTE</c>, <c>RTM_GETROUTE</c>).
/// Encoders allocate nothing, choose header defaults as iproute2 does and write attributes in its order:
/// <c>RTA_TABLE</c> only for ids above 255, then destination, gateway, metric, table, preferred source, output
/// device, next hops.
/// </summary>
public static class RouteMessages
{
    /// <summary>Size of <c>struct rtmsg</c>.</summary>
    public const int FamilyHeaderSize = 12;

    /// <summary><c>RTA_DST</c>: destination prefix.</summary>
    public const ushort RTA_DST = 1;
    /// <summary><c>RTA_SRC</c>: source prefix.</summary>
    public const ushort RTA_SRC = 2;
    /// <summary><c>RTA_IIF</c>: input interface.</summary>
    public const ushort RTA_IIF = 3;
    /// <summary><c>RTA_OIF</c>: output interface (u32).</summary>
    public const ushort RTA_OIF = 4;
    /// <summary><c>RTA_GATEWAY</c>: next hop address.</summary>
    public const ushort RTA_GATEWAY = 5;
    /// <summary><c>RTA_PRIORITY</c>: metric (u32).</summary>
    public const ushort RTA_PRIORITY = 6;
    /// <summary><c>RTA_PREFSRC</c>: preferred source address.</summary>
    public const ushort RTA_PREFSRC = 7;
    /// <summary><c>RTA_MULTIPATH</c>: next hops (<c>struct rtnexthop</c> list).</summary>
    public const ushort RTA_MULTIPATH = 9;
    /// <summary><c>RTA_TABLE</c>: table id (u32), for ids above 255.</summary>
    public const ushort RTA_TABLE = 15;

    /// <summary>No table given (<c>RT_TABLE_UNSPEC</c>): the header's value when the id travels in <c>RTA_TABLE</c>.</summary>
    public const byte RT_TABLE_UNSPEC = 0;
    /// <summary>The main routing table (<c>RT_TABLE_MAIN</c>).</summary>
    public const byte RT_TABLE_MAIN = 254;
    /// <summary>The local routing table (<c>RT_TABLE_LOCAL</c>).</summary>
    public const byte RT_TABLE_LOCAL = 255;
    /// <summary><c>RTPROT_BOOT</c>: the protocol iproute2 marks its routes with.</summary>
    public const byte RTPROT_BOOT = 3;
    /// <summary><c>RT_SCOPE_UNIVERSE</c>.</summary>
    public const byte RT_SCOPE_UNIVERSE = 0;
    /// <summary><c>RT_SCOPE_LINK</c>.</summary>
    public const byte RT_SCOPE_LINK = 253;
    /// <summary><c>RTN_UNICAST</c>.</summary>
    public const byte RTN_UNICAST = 1;

    /// <summary>Size of <c>struct rtnexthop</c>.</summary>
    private const int RtNextHopSize = 8;

    /// <summary>
    /// Writes the request that adds a default route through a gateway in the main table.
    /// Equivalent to: <c>ip route add default via GATEWAY [dev IFINDEX]</c>.
    /// </summary>
    public static void WriteAddDefault(ref NetlinkWriter writer, IPAddress gateway, int outputIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        IPAddress any = gateway.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        WriteCore(ref writer, Rtm.RTM_NEWROUTE, AddFlags(replace: false), any, 0, gateway, outputIndex > 0 ? outputIndex : null,
            RT_TABLE_MAIN, null, null, null, null, null, null, delete: false);
    }

    /// <summary>
    /// Writes the request that adds (or with <paramref name="replace"/>, replaces) <paramref name="route"/>.
    /// Equivalent to: <c>ip route add|replace [TYPE] PREFIX [via GW] [dev IFINDEX] [metric M] [table T] [proto P] [scope S] [src A] [nexthop ...]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The route is inconsistent (see <see cref="Validate"/>).</exception>
    public static void WriteAdd(ref NetlinkWriter writer, Route route, bool replace = false)
    {
        Validate(route);
        WriteCore(ref writer, Rtm.RTM_NEWROUTE, AddFlags(replace), route.Destination.BaseAddress, route.Destination.PrefixLength,
            route.Gateway, route.OutputIndex, route.Table, route.Metric, route.Scope, route.Protocol, route.PreferredSource,
            route.Type, route.NextHops, delete: false);
    }

    /// <summary>
    /// Writes the request that deletes the route matching <paramref name="route"/>: the kernel matches the
    /// destination and table, and every other setting given (protocol, scope and type only when set).
    /// Equivalent to: <c>ip route del PREFIX [via GW] [dev IFINDEX] [metric M] [table T]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The route is inconsistent (see <see cref="Validate"/>).</exception>
    public static void WriteDelete(ref NetlinkWriter writer, Route route)
    {
        Validate(route);
        WriteCore(ref writer, Rtm.RTM_DELROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, route.Destination.BaseAddress,
            route.Destination.PrefixLength, route.Gateway, route.OutputIndex, route.Table, route.Metric, route.Scope, route.Protocol,
            route.PreferredSource, route.Type, route.NextHops, delete: true);
    }

    /// <summary>
    /// Writes the dump request for routes, filtered by the kernel (strict checking) to one family and one table.
    /// Equivalent to: <c>ip [-4|-6] route show [table T|all]</c>.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/>, <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="table">A table id, or 0 for every table.</param>
    public static void WriteDump(ref NetlinkWriter writer, AddressFamily family = AddressFamily.Unspecified, uint table = 0)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETROUTE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new RtMsg
        {
            rtm_family = AddressMessages.ToKernelFamily(family),
            rtm_table = table <= 255 ? (byte)table : RT_TABLE_UNSPEC,
        });
        if (table > 255)
        {
            writer.WriteUInt32(RTA_TABLE, table);
        }

        writer.EndMessage(message);
    }

    /// <summary>
    /// Checks a route before anything is sent: a destination (IPv4 or IPv6), a gateway and preferred source of
    /// its family, positive link indexes, next hops (1 to 256 weight, gateway of the family, a gateway or a
    /// device each) not mixed with a top-level gateway.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public static void Validate(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        IPAddress? destination = route.Destination.BaseAddress;
        if (destination is null || destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException("A route needs an IPv4 or IPv6 destination prefix (0.0.0.0/0 or ::/0 for a default route).", nameof(route));
        }

        AddressFamily family = destination.AddressFamily;
        if (route.Gateway is not null && route.Gateway.AddressFamily != family)
        {
            throw new ArgumentException($"The gateway {route.Gateway} is not of the destination {route.Destination}'s address family.", nameof(route));
        }

        if (route.PreferredSource is not null && route.PreferredSource.AddressFamily != family)
        {
            throw new ArgumentException($"The preferred source {route.PreferredSource} is not of the destination {route.Destination}'s address family.", nameof(route));
        }

        if (route.OutputIndex is int oif && oif <= 0)
        {
            throw new ArgumentException($"Output link index {oif} must be positive.", nameof(route));
        }

        if (route.NextHops is { } hops)
        {
            if (hops.Count == 0)
            {
                throw new ArgumentException("A multipath route needs at least one next hop.", nameof(route));
            }

            if (route.Gateway is not null || route.OutputIndex is not null)
            {
                throw new ArgumentException("A multipath route takes its gateways and devices from its next hops, not from Gateway/OutputIndex.", nameof(route));
            }

            for (int i = 0; i < hops.Count; i++)
            {
                RouteNextHop hop = hops[i];
                if (hop is null || hop.Weight is < 1 or > 256 || hop.OutputIndex < 0 || (hop.Gateway is null && hop.OutputIndex == 0)
                    || (hop.Gateway is not null && hop.Gateway.AddressFamily != family))
                {
                    throw new ArgumentException($"Next hop {hop} is invalid: it needs a gateway of the route's family or a device, and a weight of 1 to 256.", nameof(route));
                }
            }
        }
    }

    /// <summary>
    /// Decodes an <c>RTM_NEWROUTE</c> or <c>RTM_DELROUTE</c> message into a <see cref="Route"/>; returns false
    /// for a family other than IPv4 and IPv6 (e.g. multicast routing tables in a full dump).
    /// </summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed (a prefix length longer than its address included) or of another type.</exception>
    public static bool TryParse(NetlinkMessage message, out Route? route)
    {
        route = null;
        if (message.Type is not (Rtm.RTM_NEWROUTE or Rtm.RTM_DELROUTE))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWROUTE or RTM_DELROUTE, got message type {message.Type}.");
        }

        RtMsg header = message.ReadHeader<RtMsg>();
        if (header.rtm_family is not (AddressFamilies.AF_INET or AddressFamilies.AF_INET6))
        {
            return false;
        }

        bool v6 = header.rtm_family == AddressFamilies.AF_INET6;
        IPAddress? destination = null;
        IPAddress? gateway = null;
        IPAddress? source = null;
        int? oif = null;
        uint? metric = null;
        uint table = header.rtm_table;
        List<RouteNextHop>? hops = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes(FamilyHeaderSize))
        {
            switch (attribute.Type)
            {
                case RTA_DST:
                    destination = attribute.GetIPAddress();
                    break;
                case RTA_GATEWAY:
                    gateway = attribute.GetIPAddress();
                    break;
                case RTA_OIF:
                    oif = (int)attribute.GetUInt32();
                    break;
                case RTA_PRIORITY:
                    metric = attribute.GetUInt32();
                    break;
                case RTA_PREFSRC:
                    source = attribute.GetIPAddress();
                    break;
                case RTA_TABLE:
                    table = attribute.GetUInt32();
                    break;
                case RTA_MULTIPATH:
                    hops = ParseNextHops(attribute.Value);
                    break;
            }
        }

        destination ??= v6 ? IPAddress.IPv6Any : IPAddress.Any;
        if (header.rtm_dst_len > (destination.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            throw new NetlinkDecodeException($"Route message: rtm_dst_len {header.rtm_dst_len} is longer than the destination {destination}.");
        }

        route = new Route
        {
            Destination = AddressMessages.ToNetwork(destination, header.rtm_dst_len),
            Gateway = gateway,
            OutputIndex = oif,
            Table = table,
            Metric = metric,
            Scope = (RouteScope)header.rtm_scope,
            Protocol = (RouteProtocol)header.rtm_protocol,
            PreferredSource = source,
            Type = (RouteType)header.rtm_type,
            NextHops = hops,
        };
        return true;
    }

    private static List<RouteNextHop> ParseNextHops(ReadOnlySpan<byte> data)
    {
        // struct rtnexthop { unsigned short rtnh_len; unsigned char rtnh_flags; unsigned char rtnh_hops; int rtnh_ifindex; };
        var hops = new List<RouteNextHop>();
        int offset = 0;
        while (data.Length - offset >= RtNextHopSize)
        {
            int length = BitConverter.ToUInt16(data.Slice(offset, 2));
            if (length < RtNextHopSize || length > data.Length - offset)
            {
                throw new NetlinkDecodeException($"rtnexthop at offset {offset} has length {length}, outside 8..{data.Length - offset}.");
            }

            byte weightMinusOne = data[offset + 3];
            int index = BitConverter.ToInt32(data.Slice(offset + 4, 4));
            IPAddress? gateway = null;
            var attributes = new NetlinkAttributeReader(data.Slice(offset + RtNextHopSize, length - RtNextHopSize));
            if (attributes.TryFind(RTA_GATEWAY, out NetlinkAttribute g))
            {
                gateway = g.GetIPAddress();
            }

            hops.Add(new RouteNextHop(gateway, index, weightMinusOne + 1));
            offset += NetlinkWriter.Align(length);
        }

        return hops;
    }

    private static NetlinkMessageFlags AddFlags(bool replace) =>
        NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
        | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);

    private static void WriteCore(ref NetlinkWriter writer, ushort messageType, NetlinkMessageFlags flags, IPAddress destination, int prefixLength,
        IPAddress? gateway, int? outputIndex, uint table, uint? metric, RouteScope? scope, RouteProtocol? protocol, IPAddress? preferredSource,
        RouteType? type, IReadOnlyList<RouteNextHop>? nextHops, bool delete)
    {
        bool v6 = destination.AddressFamily == AddressFamily.InterNetworkV6;
        RouteType effectiveType = type ?? (delete ? RouteType.Unspecified : RouteType.Unicast);
        RouteScope effectiveScope;
        if (scope is RouteScope s)
        {
            effectiveScope = s;
        }
        else if (delete)
        {
            effectiveScope = RouteScope.Nowhere;
        }
        else
        {
            // iproute2: host for local/NAT routes, link for broadcast/multicast/anycast and for unicast routes
            // without a gateway, universe otherwise.
            effectiveScope = effectiveType switch
            {
                RouteType.Local or RouteType.Nat => RouteScope.Host,
                RouteType.Broadcast or RouteType.Multicast or RouteType.Anycast => RouteScope.Link,
                RouteType.Unicast or RouteType.Unspecified when gateway is null && nextHops is null => RouteScope.Link,
                _ => RouteScope.Universe,
            };
        }

        NetlinkMessageToken message = writer.BeginMessage(messageType, flags);
        writer.WriteHeader(new RtMsg
        {
            rtm_family = v6 ? AddressFamilies.AF_INET6 : AddressFamilies.AF_INET,
            rtm_dst_len = (byte)prefixLength,
            rtm_table = table <= 255 ? (byte)table : RT_TABLE_UNSPEC,
            rtm_protocol = (byte)(protocol ?? (delete ? RouteProtocol.Unspecified : RouteProtocol.Boot)),
            rtm_scope = (byte)effectiveScope,
            rtm_type = (byte)effectiveType,
        });
        if (prefixLength > 0 || v6)
        {
            // iproute2 spells out the IPv6 default destination (::/0); IPv4 leaves it out.
            writer.WriteIPAddress(RTA_DST, destination);
        }

        if (gateway is not null)
        {
            writer.WriteIPAddress(RTA_GATEWAY, gateway);
        }

        if (metric is uint m)
        {
            writer.WriteUInt32(RTA_PRIORITY, m);
        }

        if (table > 255)
        {
            writer.WriteUInt32(RTA_TABLE, table);
        }

        if (preferredSource is not null)
        {
            writer.WriteIPAddress(RTA_PREFSRC, preferredSource);
        }

        if (outputIndex is int oif)
        {
            writer.WriteUInt32(RTA_OIF, (uint)oif);
        }

        if (nextHops is not null)
        {
            NetlinkNestToken multipath = writer.BeginNested(RTA_MULTIPATH);
            for (int i = 0; i < nextHops.Count; i++)
            {
                RouteNextHop hop = nextHops[i];
                int start = writer.Length;
                Span<byte> header = writer.Reserve(RtNextHopSize);
                header[2] = 0;
                header[3] = (byte)(hop.Weight - 1);
                BitConverter.TryWriteBytes(header.Slice(4), hop.OutputIndex);
                if (hop.Gateway is not null)
                {
                    writer.WriteIPAddress(RTA_GATEWAY, hop.Gateway);
                }

                BitConverter.TryWriteBytes(writer.WrittenSpan.Slice(start, 2), (ushort)(writer.Length - start));
            }

            writer.EndNested(multipath);
        }

        writer.EndMessage(message);
    }
}

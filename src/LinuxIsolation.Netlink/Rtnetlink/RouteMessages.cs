using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Encoders of route messages (<c>RTM_NEWROUTE</c>, <c>RTM_DELROUTE</c>); no allocation.</summary>
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

    /// <summary>The main routing table (<c>RT_TABLE_MAIN</c>).</summary>
    public const byte RT_TABLE_MAIN = 254;
    /// <summary><c>RTPROT_BOOT</c>: the protocol iproute2 marks its routes with.</summary>
    public const byte RTPROT_BOOT = 3;
    /// <summary><c>RT_SCOPE_UNIVERSE</c>.</summary>
    public const byte RT_SCOPE_UNIVERSE = 0;
    /// <summary><c>RT_SCOPE_LINK</c>.</summary>
    public const byte RT_SCOPE_LINK = 253;
    /// <summary><c>RTN_UNICAST</c>.</summary>
    public const byte RTN_UNICAST = 1;

    /// <summary>
    /// Writes the request that adds a default route through a gateway in the main table.
    /// Equivalent to: <c>ip route add default via GATEWAY</c>.
    /// </summary>
    public static void WriteAddDefault(ref NetlinkWriter writer, IPAddress gateway, int outputIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        bool v6 = gateway.AddressFamily == AddressFamily.InterNetworkV6;
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWROUTE,
            NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive);
        writer.WriteHeader(new RtMsg
        {
            rtm_family = v6 ? AddressFamilies.AF_INET6 : AddressFamilies.AF_INET,
            rtm_table = RT_TABLE_MAIN,
            rtm_protocol = RTPROT_BOOT,
            rtm_scope = RT_SCOPE_UNIVERSE,
            rtm_type = RTN_UNICAST,
        });
        if (v6)
        {
            // iproute2 spells out the IPv6 default destination (::/0); IPv4 leaves it out.
            writer.WriteIPAddress(RTA_DST, IPAddress.IPv6Any);
        }

        writer.WriteIPAddress(RTA_GATEWAY, gateway);
        if (outputIndex > 0)
        {
            writer.WriteUInt32(RTA_OIF, (uint)outputIndex);
        }

        writer.EndMessage(message);
    }
}

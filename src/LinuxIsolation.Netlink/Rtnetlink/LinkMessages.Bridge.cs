using System;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

public static partial class LinkMessages
{
    /// <summary><c>IFLA_BR_VLAN_FILTERING</c> (u8, in a bridge's <c>IFLA_INFO_DATA</c>).</summary>
    private const ushort IFLA_BR_VLAN_FILTERING = 7;

    /// <summary><c>IFLA_AF_SPEC</c>: per-family link attributes (for <c>AF_BRIDGE</c>: the port's VLANs).</summary>
    private const ushort IFLA_AF_SPEC = 26;

    /// <summary><c>IFLA_BRIDGE_FLAGS</c> (u16, in <c>IFLA_AF_SPEC</c>): <c>BRIDGE_FLAGS_MASTER</c> or <c>BRIDGE_FLAGS_SELF</c>.</summary>
    private const ushort IFLA_BRIDGE_FLAGS = 0;

    /// <summary><c>IFLA_BRIDGE_VLAN_INFO</c> (<c>struct bridge_vlan_info { __u16 flags; __u16 vid; }</c>, in <c>IFLA_AF_SPEC</c>).</summary>
    private const ushort IFLA_BRIDGE_VLAN_INFO = 2;

    /// <summary><c>BRIDGE_FLAGS_SELF</c>: the request is for the bridge device itself, not for a port of it.</summary>
    private const ushort BRIDGE_FLAGS_SELF = 2;

    /// <summary>The highest usable VLAN ID (<c>VLAN_VID_MASK</c> - 1; 0 and 4095 are reserved).</summary>
    public const ushort MaxVlanId = 4094;

    /// <summary>
    /// Writes the request that sets or clears a link's promiscuous flag. Equivalent to: <c>ip link set dev IFINDEX promisc on|off</c>,
    /// byte for byte: <c>ifi_flags</c> <c>IFF_PROMISC</c> or 0, <c>ifi_change</c> <c>IFF_PROMISC</c>, no attributes.
    /// </summary>
    public static void WriteSetPromiscuous(ref NetlinkWriter writer, int index, bool on)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, ChangeFlags);
        writer.WriteHeader(new IfInfoMsg
        {
            ifi_index = index,
            ifi_flags = on ? (uint)LinkFlags.Promiscuous : 0,
            ifi_change = (uint)LinkFlags.Promiscuous,
        });
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that turns a bridge's VLAN filtering on or off. Equivalent to:
    /// <c>ip link set dev IFINDEX type bridge vlan_filtering 1|0</c>, byte for byte:
    /// <c>IFLA_LINKINFO { IFLA_INFO_KIND "bridge" (no NUL), IFLA_INFO_DATA { IFLA_BR_VLAN_FILTERING u8 } }</c>.
    /// </summary>
    public static void WriteSetBridgeVlanFiltering(ref NetlinkWriter writer, int index, bool on)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        NetlinkNestToken info = writer.BeginNested(Ifla.IFLA_LINKINFO);
        writer.WriteBytes(Ifla.IFLA_INFO_KIND, "bridge"u8);
        NetlinkNestToken data = writer.BeginNested(Ifla.IFLA_INFO_DATA);
        writer.WriteUInt8(IFLA_BR_VLAN_FILTERING, on ? (byte)1 : (byte)0);
        writer.EndNested(data);
        writer.EndNested(info);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that adds a VLAN to a bridge port, or with <paramref name="self"/> to the bridge device itself.
    /// Equivalent to: <c>bridge vlan add dev IFINDEX vid VID [pvid] [untagged] [self]</c>, byte for byte: <c>RTM_SETLINK</c>,
    /// <c>ifi_family</c> <c>AF_BRIDGE</c>, <c>IFLA_AF_SPEC { [IFLA_BRIDGE_FLAGS BRIDGE_FLAGS_SELF,] IFLA_BRIDGE_VLAN_INFO { flags, vid } }</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vlanId"/> is 0 or above 4094.</exception>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds a flag other than <see cref="BridgeVlanFlags.Pvid"/> and <see cref="BridgeVlanFlags.Untagged"/>.</exception>
    public static void WriteAddBridgeVlan(ref NetlinkWriter writer, int index, ushort vlanId, BridgeVlanFlags flags, bool self) =>
        WriteBridgeVlan(ref writer, Rtm.RTM_SETLINK, index, vlanId, flags, self);

    /// <summary>
    /// Writes the request that removes a VLAN from a bridge port, or with <paramref name="self"/> from the bridge itself.
    /// Equivalent to: <c>bridge vlan del dev IFINDEX vid VID [self]</c>, byte for byte (<c>RTM_DELLINK</c>, <c>AF_BRIDGE</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vlanId"/> is 0 or above 4094.</exception>
    public static void WriteDeleteBridgeVlan(ref NetlinkWriter writer, int index, ushort vlanId, bool self) =>
        WriteBridgeVlan(ref writer, Rtm.RTM_DELLINK, index, vlanId, BridgeVlanFlags.None, self);

    internal static void ValidateVlan(ushort vlanId, BridgeVlanFlags flags)
    {
        if (vlanId is 0 or > MaxVlanId)
        {
            throw new ArgumentOutOfRangeException(nameof(vlanId), vlanId, $"A VLAN ID is 1 to {MaxVlanId}.");
        }

        if ((flags & ~(BridgeVlanFlags.Pvid | BridgeVlanFlags.Untagged)) != 0)
        {
            throw new ArgumentException($"{(ushort)flags:x} holds a flag other than Pvid and Untagged.", nameof(flags));
        }
    }

    private static void WriteBridgeVlan(ref NetlinkWriter writer, ushort type, int index, ushort vlanId, BridgeVlanFlags flags, bool self)
    {
        ValidateVlan(vlanId, flags);
        NetlinkMessageToken message = writer.BeginMessage(type, ChangeFlags);
        writer.WriteHeader(new IfInfoMsg { ifi_family = AddressFamilies.AF_BRIDGE, ifi_index = index });
        NetlinkNestToken spec = writer.BeginNested(IFLA_AF_SPEC);
        if (self)
        {
            writer.WriteUInt16(IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_SELF);
        }

        // struct bridge_vlan_info { __u16 flags; __u16 vid; }, host order.
        Span<byte> info = stackalloc byte[4];
        BitConverter.TryWriteBytes(info, (ushort)flags);
        BitConverter.TryWriteBytes(info[2..], vlanId);
        writer.WriteBytes(IFLA_BRIDGE_VLAN_INFO, info);
        writer.EndNested(spec);
        writer.EndMessage(message);
    }
}

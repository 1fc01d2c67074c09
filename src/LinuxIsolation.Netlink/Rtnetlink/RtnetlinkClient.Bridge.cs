using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Sets or clears a link's promiscuous flag (<c>IFF_PROMISC</c>; what the reference CNI bridge plugin's
    /// <c>promiscMode</c> sets on its bridge). Equivalent to: <c>ip link set dev IFINDEX promisc on|off</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (ENODEV: no such link).</exception>
    public void SetLinkPromiscuous(int index, bool on)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        _requests.Execute((index, on), static (ref NetlinkWriter w, (int Index, bool On) s) => LinkMessages.WriteSetPromiscuous(ref w, s.Index, s.On),
            $"RTM_NEWLINK index {index} promisc {(on ? "on" : "off")}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Turns a bridge's VLAN filtering on or off: with it on, each port forwards only the VLANs it is a member of (see
    /// <see cref="AddBridgeVlan"/>), and every port starts as an untagged PVID member of VLAN 1 (the bridge's default_pvid).
    /// Equivalent to: <c>ip link set dev IFINDEX type bridge vlan_filtering 1|0</c>. Needs CAP_NET_ADMIN; Linux 3.8, and a kernel
    /// built with <c>CONFIG_BRIDGE_VLAN_FILTERING</c>.
    /// </summary>
    /// <exception cref="NetlinkException">
    /// The kernel refused: EOPNOTSUPP when it is built without <c>CONFIG_BRIDGE_VLAN_FILTERING</c>; EINVAL or EOPNOTSUPP
    /// when the link is not a bridge; ENODEV: no such link.
    /// </exception>
    public void SetBridgeVlanFiltering(int bridgeIndex, bool on)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bridgeIndex);
        _requests.Execute((bridgeIndex, on), static (ref NetlinkWriter w, (int Index, bool On) s) => LinkMessages.WriteSetBridgeVlanFiltering(ref w, s.Index, s.On),
            $"RTM_NEWLINK index {bridgeIndex} type bridge vlan_filtering {(on ? 1 : 0)}", LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Makes bridge port <paramref name="index"/> (or, with <paramref name="self"/>, the bridge device <paramref name="index"/>
    /// itself, i.e. the host's own traffic through the bridge) a member of VLAN <paramref name="vlanId"/>. With
    /// <see cref="BridgeVlanFlags.Pvid"/> untagged frames entering it join that VLAN (moving the port's PVID from any other
    /// VLAN); with <see cref="BridgeVlanFlags.Untagged"/> frames of the VLAN leave it untagged. Adding a VLAN the port is a
    /// member of already updates its flags. Equivalent to: <c>bridge vlan add dev IFINDEX vid VID [pvid] [untagged] [self]</c>.
    /// Needs CAP_NET_ADMIN; a kernel built with <c>CONFIG_BRIDGE_VLAN_FILTERING</c> (Linux 3.8).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vlanId"/> is 0 or above 4094.</exception>
    /// <exception cref="ArgumentException"><paramref name="flags"/> holds an undefined flag.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EOPNOTSUPP: no VLAN filtering in this kernel, or the link is not a bridge port; ENODEV).</exception>
    public void AddBridgeVlan(int index, ushort vlanId, BridgeVlanFlags flags = BridgeVlanFlags.None, bool self = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        LinkMessages.ValidateVlan(vlanId, flags);
        _requests.Execute((index, vlanId, flags, self),
            static (ref NetlinkWriter w, (int Index, ushort Vid, BridgeVlanFlags Flags, bool Self) s) => LinkMessages.WriteAddBridgeVlan(ref w, s.Index, s.Vid, s.Flags, s.Self),
            $"RTM_SETLINK AF_BRIDGE index {index} vlan add vid {vlanId}{((flags & BridgeVlanFlags.Pvid) != 0 ? " pvid" : "")}{((flags & BridgeVlanFlags.Untagged) != 0 ? " untagged" : "")}{(self ? " self" : "")}",
            LinkMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Removes VLAN <paramref name="vlanId"/> from bridge port <paramref name="index"/> (or, with <paramref name="self"/>,
    /// from the bridge device itself). Equivalent to: <c>bridge vlan del dev IFINDEX vid VID [self]</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vlanId"/> is 0 or above 4094.</exception>
    /// <exception cref="NetlinkException">The kernel refused (ENOENT: not a member; EOPNOTSUPP; ENODEV).</exception>
    public void DeleteBridgeVlan(int index, ushort vlanId, bool self = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(index);
        LinkMessages.ValidateVlan(vlanId, BridgeVlanFlags.None);
        _requests.Execute((index, vlanId, self),
            static (ref NetlinkWriter w, (int Index, ushort Vid, bool Self) s) => LinkMessages.WriteDeleteBridgeVlan(ref w, s.Index, s.Vid, s.Self),
            $"RTM_DELLINK AF_BRIDGE index {index} vlan del vid {vlanId}{(self ? " self" : "")}", LinkMessages.FamilyHeaderSize);
    }
}

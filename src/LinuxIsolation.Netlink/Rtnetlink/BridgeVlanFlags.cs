using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// How a bridge port (or the bridge itself) is a member of a VLAN: <c>BRIDGE_VLAN_INFO_*</c> of <c>struct bridge_vlan_info</c>
/// (<c>linux/if_bridge.h</c>), the <c>pvid</c> and <c>untagged</c> words of <c>bridge vlan add</c>.
/// </summary>
[Flags]
public enum BridgeVlanFlags : ushort
{
    /// <summary>A tagged member: frames of the VLAN leave the port tagged, and only tagged frames of it are accepted.</summary>
    None = 0,

    /// <summary><c>BRIDGE_VLAN_INFO_PVID</c> (<c>pvid</c>): untagged frames entering the port are put in this VLAN (one PVID per port).</summary>
    Pvid = 0x2,

    /// <summary><c>BRIDGE_VLAN_INFO_UNTAGGED</c> (<c>untagged</c>): frames of this VLAN leave the port untagged.</summary>
    Untagged = 0x4,
}

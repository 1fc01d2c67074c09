namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>macvlan modes (<c>MACVLAN_MODE_*</c> in <c>linux/if_link.h</c>), as <c>ip link add ... type macvlan mode MODE</c> takes them.</summary>
public enum MacvlanMode : uint
{
    /// <summary><c>MACVLAN_MODE_PRIVATE</c>: macvlans on the same parent cannot talk to each other.</summary>
    Private = 1,
    /// <summary><c>MACVLAN_MODE_VEPA</c>: traffic between macvlans goes through the external switch.</summary>
    Vepa = 2,
    /// <summary><c>MACVLAN_MODE_BRIDGE</c>: macvlans on the same parent talk to each other directly.</summary>
    Bridge = 4,
    /// <summary><c>MACVLAN_MODE_PASSTHRU</c>: one macvlan takes over the parent.</summary>
    Passthru = 8,
    /// <summary><c>MACVLAN_MODE_SOURCE</c>: frames are assigned by source MAC address.</summary>
    Source = 16,
}

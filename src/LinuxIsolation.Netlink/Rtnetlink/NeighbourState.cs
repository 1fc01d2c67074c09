using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Neighbour cache states (<c>NUD_*</c> in <c>linux/neighbour.h</c>), as <c>ip neigh ... nud STATE</c> takes them.</summary>
[Flags]
public enum NeighbourState : ushort
{
    /// <summary><c>NUD_NONE</c>.</summary>
    None = 0x00,
    /// <summary><c>NUD_INCOMPLETE</c>: resolution in progress.</summary>
    Incomplete = 0x01,
    /// <summary><c>NUD_REACHABLE</c>: confirmed reachable.</summary>
    Reachable = 0x02,
    /// <summary><c>NUD_STALE</c>: valid but unconfirmed.</summary>
    Stale = 0x04,
    /// <summary><c>NUD_DELAY</c>: waiting before probing.</summary>
    Delay = 0x08,
    /// <summary><c>NUD_PROBE</c>: probing.</summary>
    Probe = 0x10,
    /// <summary><c>NUD_FAILED</c>: resolution failed.</summary>
    Failed = 0x20,
    /// <summary><c>NUD_NOARP</c>: valid, no resolution needed.</summary>
    NoArp = 0x40,
    /// <summary><c>NUD_PERMANENT</c>: a static entry (<c>nud permanent</c>), never expires.</summary>
    Permanent = 0x80,
}

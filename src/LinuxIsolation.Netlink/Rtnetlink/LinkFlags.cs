using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Device flags (<c>IFF_*</c> in <c>linux/if.h</c>), as <c>ip link</c> shows them in angle brackets.</summary>
[Flags]
public enum LinkFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary><c>IFF_UP</c>: administratively up.</summary>
    Up = 0x1,
    /// <summary><c>IFF_BROADCAST</c>.</summary>
    Broadcast = 0x2,
    /// <summary><c>IFF_DEBUG</c>.</summary>
    Debug = 0x4,
    /// <summary><c>IFF_LOOPBACK</c>.</summary>
    Loopback = 0x8,
    /// <summary><c>IFF_POINTOPOINT</c>.</summary>
    PointToPoint = 0x10,
    /// <summary><c>IFF_NOTRAILERS</c>.</summary>
    NoTrailers = 0x20,
    /// <summary><c>IFF_RUNNING</c>: operationally up (RFC 2863 "up").</summary>
    Running = 0x40,
    /// <summary><c>IFF_NOARP</c>.</summary>
    NoArp = 0x80,
    /// <summary><c>IFF_PROMISC</c>.</summary>
    Promiscuous = 0x100,
    /// <summary><c>IFF_ALLMULTI</c>.</summary>
    AllMulticast = 0x200,
    /// <summary><c>IFF_MASTER</c>.</summary>
    Master = 0x400,
    /// <summary><c>IFF_SLAVE</c>.</summary>
    Slave = 0x800,
    /// <summary><c>IFF_MULTICAST</c>.</summary>
    Multicast = 0x1000,
    /// <summary><c>IFF_PORTSEL</c>.</summary>
    PortSelect = 0x2000,
    /// <summary><c>IFF_AUTOMEDIA</c>.</summary>
    AutoMedia = 0x4000,
    /// <summary><c>IFF_DYNAMIC</c>.</summary>
    Dynamic = 0x8000,
    /// <summary><c>IFF_LOWER_UP</c>: the driver signals carrier.</summary>
    LowerUp = 0x10000,
    /// <summary><c>IFF_DORMANT</c>.</summary>
    Dormant = 0x20000,
    /// <summary><c>IFF_ECHO</c>.</summary>
    Echo = 0x40000,
}

/// <summary>Operational state (<c>IF_OPER_*</c>, RFC 2863), as <c>ip link</c> prints after "state".</summary>
public enum OperationalState : byte
{
    /// <summary><c>IF_OPER_UNKNOWN</c>: the driver does not track it (lo shows this when up).</summary>
    Unknown = 0,
    /// <summary><c>IF_OPER_NOTPRESENT</c>.</summary>
    NotPresent = 1,
    /// <summary><c>IF_OPER_DOWN</c>.</summary>
    Down = 2,
    /// <summary><c>IF_OPER_LOWERLAYERDOWN</c>: e.g. a veth whose peer is down.</summary>
    LowerLayerDown = 3,
    /// <summary><c>IF_OPER_TESTING</c>.</summary>
    Testing = 4,
    /// <summary><c>IF_OPER_DORMANT</c>.</summary>
    Dormant = 5,
    /// <summary><c>IF_OPER_UP</c>.</summary>
    Up = 6,
}

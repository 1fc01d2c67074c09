using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Neighbour entry flags (<c>NTF_*</c> in <c>linux/neighbour.h</c>).</summary>
[Flags]
public enum NeighbourFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary><c>NTF_USE</c>.</summary>
    Use = 0x01,
    /// <summary><c>NTF_SELF</c>.</summary>
    Self = 0x02,
    /// <summary><c>NTF_MASTER</c>.</summary>
    Master = 0x04,
    /// <summary><c>NTF_PROXY</c>: a proxy entry (<c>ip neigh add proxy</c>).</summary>
    Proxy = 0x08,
    /// <summary><c>NTF_EXT_LEARNED</c>.</summary>
    ExternallyLearned = 0x10,
    /// <summary><c>NTF_OFFLOADED</c>.</summary>
    Offloaded = 0x20,
    /// <summary><c>NTF_STICKY</c>.</summary>
    Sticky = 0x40,
    /// <summary><c>NTF_ROUTER</c>: the neighbour is an IPv6 router.</summary>
    Router = 0x80,
}

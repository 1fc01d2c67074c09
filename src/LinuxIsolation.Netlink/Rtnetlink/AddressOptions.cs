using System.Net;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Optional settings of an address being added, as <c>ip addr add</c> takes them. Null leaves a setting to the kernel.</summary>
public sealed record AddressOptions
{
    /// <summary>The broadcast address (<c>broadcast ADDR</c>, IPv4 only).</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>The peer of a point-to-point address (<c>peer ADDR</c>); same family as the address.</summary>
    public IPAddress? Peer { get; init; }

    /// <summary>The scope (<c>scope SCOPE</c>); null for the kernel's choice (global, or host for loopback addresses).</summary>
    public RouteScope? Scope { get; init; }

    /// <summary>Flags such as <see cref="AddressFlags.NoDad"/> or <see cref="AddressFlags.NoPrefixRoute"/>.</summary>
    public AddressFlags Flags { get; init; }

    /// <summary>The label (<c>label NAME</c>, IPv4 only): up to 15 bytes, by convention the link name or "NAME:suffix".</summary>
    public string? Label { get; init; }
}

using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// An address on a link as the kernel reports it (<c>RTM_NEWADDR</c>): what <c>ip addr show</c> prints. An
/// attribute the kernel did not send is null.
/// </summary>
/// <param name="LinkIndex">Index of the link the address is on (<c>ifa_index</c>).</param>
/// <param name="Address">The local address (<c>IFA_LOCAL</c>, or <c>IFA_ADDRESS</c> when there is no local one, as for IPv6).</param>
/// <param name="PrefixLength">Prefix length (<c>ifa_prefixlen</c>).</param>
/// <param name="Peer">The peer of a point-to-point address (<c>IFA_ADDRESS</c> when it differs from <c>IFA_LOCAL</c>).</param>
/// <param name="Broadcast">Broadcast address (<c>IFA_BROADCAST</c>).</param>
/// <param name="Label">Label (<c>IFA_LABEL</c>, IPv4).</param>
/// <param name="Scope">Scope (<c>ifa_scope</c>).</param>
/// <param name="Flags">Flags (<c>IFA_FLAGS</c>, or <c>ifa_flags</c> when absent).</param>
/// <param name="ValidLifetime">Seconds the address stays valid (<c>IFA_CACHEINFO</c>); <see cref="uint.MaxValue"/> means forever.</param>
/// <param name="PreferredLifetime">Seconds the address stays preferred (<c>IFA_CACHEINFO</c>); <see cref="uint.MaxValue"/> means forever.</param>
public sealed record InterfaceAddress(
    int LinkIndex,
    IPAddress Address,
    int PrefixLength,
    IPAddress? Peer,
    IPAddress? Broadcast,
    string? Label,
    RouteScope Scope,
    AddressFlags Flags,
    uint? ValidLifetime,
    uint? PreferredLifetime)
{
    /// <summary>The address family.</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The prefix the address is in (host bits cleared), e.g. 10.0.0.0/24 for 10.0.0.4/24.</summary>
    public IPNetwork Network => AddressMessages.ToNetwork(Address, PrefixLength);

    /// <summary>"ADDRESS/PREFIX dev INDEX", for diagnostics.</summary>
    public override string ToString() => $"{Address}/{PrefixLength} dev {LinkIndex}";
}

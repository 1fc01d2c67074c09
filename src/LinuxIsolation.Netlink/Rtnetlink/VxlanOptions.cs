using System.Net;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Settings of a VXLAN link, as <c>ip link add NAME type vxlan id ID dstport PORT remote|group ADDR local ADDR dev DEV</c>
/// takes them. A null setting is left to the kernel's default.
/// </summary>
public sealed record VxlanOptions
{
    /// <summary>The VXLAN network identifier (VNI), 0 to 16,777,215. Required.</summary>
    public required uint Id { get; init; }

    /// <summary>The destination UDP port; null for the kernel's default (8472, the Linux legacy port; IANA's is 4789).</summary>
    public ushort? Port { get; init; }

    /// <summary>A unicast remote (<c>remote</c>) or a multicast group (<c>group</c>; then <see cref="DeviceIndex"/> is needed); IPv4 or IPv6.</summary>
    public IPAddress? Remote { get; init; }

    /// <summary>The local source address (<c>local</c>); same family as <see cref="Remote"/>.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>Index of the underlying device (<c>dev</c>); null for none.</summary>
    public int? DeviceIndex { get; init; }

    /// <summary>The TTL of outer packets (<c>ttl</c>); null for the kernel's default.</summary>
    public byte? Ttl { get; init; }

    /// <summary>Learn remote MAC addresses from received packets (<c>learning</c>, iproute2's default) or not (<c>nolearning</c>).</summary>
    public bool Learning { get; init; } = true;
}

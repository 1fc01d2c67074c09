using System.Net.NetworkInformation;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A network link (interface) as the kernel reports it: what <c>ip -d link show</c> prints. An attribute the
/// kernel did not send is null.
/// </summary>
/// <param name="Index">Interface index (<c>ifi_index</c>).</param>
/// <param name="Name">Interface name (<c>IFLA_IFNAME</c>).</param>
/// <param name="Kind">Link kind (<c>IFLA_INFO_KIND</c>: "veth", "bridge", ...); null for physical devices and lo.</param>
/// <param name="Flags">Device flags (<c>ifi_flags</c>).</param>
/// <param name="OperationalState">Operational state (<c>IFLA_OPERSTATE</c>).</param>
/// <param name="Mtu">MTU (<c>IFLA_MTU</c>).</param>
/// <param name="Address">Hardware address (<c>IFLA_ADDRESS</c>).</param>
/// <param name="MasterIndex">Index of the master (bridge) device (<c>IFLA_MASTER</c>).</param>
/// <param name="LinkIndex">Index of the lower or peer link (<c>IFLA_LINK</c>): the peer's index for a veth.</param>
/// <param name="LinkNetNsId">Namespace id of the peer's namespace (<c>IFLA_LINK_NETNSID</c>), when it lives elsewhere.</param>
/// <param name="Alias">Alias (<c>IFLA_IFALIAS</c>).</param>
/// <param name="TxQueueLength">Transmit queue length (<c>IFLA_TXQLEN</c>).</param>
/// <param name="HardwareType">Device type (<c>ifi_type</c>, <c>ARPHRD_*</c>): 1 for Ethernet, 772 for loopback.</param>
/// <param name="SlaveKind">Kind of the master this link is a port of (<c>IFLA_INFO_SLAVE_KIND</c>, e.g. "bridge").</param>
public sealed record Link(
    int Index,
    string Name,
    string? Kind,
    LinkFlags Flags,
    OperationalState? OperationalState,
    uint? Mtu,
    PhysicalAddress? Address,
    int? MasterIndex,
    int? LinkIndex,
    int? LinkNetNsId,
    string? Alias,
    uint? TxQueueLength,
    ushort HardwareType,
    string? SlaveKind)
{
    /// <summary>True when the link is administratively up (<c>IFF_UP</c>).</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}

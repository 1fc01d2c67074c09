using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A neighbour (ARP or NDP) cache entry as the kernel reports it: what <c>ip neigh show</c> prints. An
/// attribute the kernel did not send is null.
/// </summary>
/// <param name="LinkIndex">The link the entry is on (<c>ndm_ifindex</c>).</param>
/// <param name="Destination">The neighbour's IP address (<c>NDA_DST</c>).</param>
/// <param name="LinkLayerAddress">Its link-layer address (<c>NDA_LLADDR</c>); null while unresolved.</param>
/// <param name="State">The cache state (<c>ndm_state</c>).</param>
/// <param name="Flags">Entry flags (<c>ndm_flags</c>).</param>
public sealed record Neighbour(int LinkIndex, IPAddress Destination, PhysicalAddress? LinkLayerAddress, NeighbourState State, NeighbourFlags Flags)
{
    /// <summary>The address family (that of <see cref="Destination"/>).</summary>
    public AddressFamily Family => Destination.AddressFamily;
}

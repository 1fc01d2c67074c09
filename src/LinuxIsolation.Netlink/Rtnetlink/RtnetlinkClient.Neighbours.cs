using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Adds a neighbour entry (static ARP/NDP entry by default). Equivalent to:
    /// <c>ip neigh add ADDRESS lladdr LLADDR dev IFINDEX nud permanent</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not IPv4/IPv6, or the link-layer address is empty or longer than 32 bytes.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (entry exists), ENODEV, EINVAL (wrong link-layer address length for the link).</exception>
    public void AddNeighbour(int linkIndex, IPAddress destination, PhysicalAddress linkLayerAddress, NeighbourState state = NeighbourState.Permanent) =>
        ChangeNeighbour(linkIndex, destination, linkLayerAddress, state, replace: false);

    /// <summary>Adds a neighbour entry or replaces an existing one. Equivalent to: <c>ip neigh replace ADDRESS lladdr LLADDR dev IFINDEX nud STATE</c>. Needs CAP_NET_ADMIN.</summary>
    /// <inheritdoc cref="AddNeighbour"/>
    public void ReplaceNeighbour(int linkIndex, IPAddress destination, PhysicalAddress linkLayerAddress, NeighbourState state = NeighbourState.Permanent) =>
        ChangeNeighbour(linkIndex, destination, linkLayerAddress, state, replace: true);

    /// <summary>Deletes a neighbour entry. Equivalent to: <c>ip neigh del ADDRESS dev IFINDEX</c>. Needs CAP_NET_ADMIN.</summary>
    /// <exception cref="ArgumentException">The address is not IPv4/IPv6.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENOENT (no such entry), ENODEV.</exception>
    public void DeleteNeighbour(int linkIndex, IPAddress destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        _requests.Execute((linkIndex, destination), static (ref NetlinkWriter w, (int Link, IPAddress Destination) s) => NeighbourMessages.WriteDelete(ref w, s.Link, s.Destination),
            $"RTM_DELNEIGH {destination} dev {linkIndex}", NeighbourMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists neighbour entries, filtered by the kernel to one link and/or one family.
    /// Equivalent to: <c>ip [-4|-6] neigh show [dev IFINDEX]</c>.
    /// </summary>
    /// <returns>The entries; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last of up to <paramref name="maxRetries"/> repeated dumps was still interrupted by a concurrent change.</returns>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENODEV for a link index that does not exist).</exception>
    public NetlinkDumpResult<Neighbour> ListNeighbours(int linkIndex = 0, AddressFamily family = AddressFamily.Unspecified, int maxRetries = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linkIndex);
        _ = AddressMessages.ToKernelFamily(family);
        return _requests.Dump<(AddressFamily, int), Neighbour>((family, linkIndex), static (ref NetlinkWriter w, (AddressFamily Family, int Link) s) => NeighbourMessages.WriteDump(ref w, s.Family, s.Link),
            ParseNeighbour, maxRetries, "RTM_GETNEIGH dump", NeighbourMessages.FamilyHeaderSize);
    }

    private void ChangeNeighbour(int linkIndex, IPAddress destination, PhysicalAddress linkLayerAddress, NeighbourState state, bool replace)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        ArgumentNullException.ThrowIfNull(linkLayerAddress);
        byte[] lladdr = linkLayerAddress.GetAddressBytes();
        _requests.Execute((linkIndex, destination, lladdr, state, replace),
            static (ref NetlinkWriter w, (int Link, IPAddress Destination, byte[] LinkLayer, NeighbourState State, bool Replace) s) => NeighbourMessages.WriteAdd(ref w, s.Link, s.Destination, s.LinkLayer, s.State, s.Replace),
            $"RTM_NEWNEIGH {destination} lladdr {linkLayerAddress} dev {linkIndex}{(replace ? " (replace)" : string.Empty)}", NeighbourMessages.FamilyHeaderSize);
    }

    private static bool ParseNeighbour(NetlinkMessage message, out Neighbour neighbour)
    {
        bool ok = NeighbourMessages.TryParse(message, out Neighbour? parsed);
        neighbour = parsed!;
        return ok;
    }
}

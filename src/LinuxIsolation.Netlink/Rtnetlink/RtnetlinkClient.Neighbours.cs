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
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NeighbourMessages.WriteDelete(ref writer, linkIndex, destination);
        Execute(writer.WrittenSpan, $"RTM_DELNEIGH {destination} dev {linkIndex}", NeighbourMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists neighbour entries, filtered by the kernel to one link and/or one family.
    /// Equivalent to: <c>ip [-4|-6] neigh show [dev IFINDEX]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENODEV for a link index that does not exist).</exception>
    public IReadOnlyList<Neighbour> ListNeighbours(int linkIndex = 0, AddressFamily family = AddressFamily.Unspecified, int maxRetries = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linkIndex);
        _ = AddressMessages.ToKernelFamily(family);
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NeighbourMessages.WriteDump(ref writer, family, linkIndex);
        lock (_gate)
        {
            return Socket.DumpAll<Neighbour>(writer.WrittenSpan, ParseNeighbour, maxRetries, "RTM_GETNEIGH dump", NeighbourMessages.FamilyHeaderSize).Items;
        }
    }

    private void ChangeNeighbour(int linkIndex, IPAddress destination, PhysicalAddress linkLayerAddress, NeighbourState state, bool replace)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        ArgumentNullException.ThrowIfNull(linkLayerAddress);
        byte[] lladdr = linkLayerAddress.GetAddressBytes();
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NeighbourMessages.WriteAdd(ref writer, linkIndex, destination, lladdr, state, replace);
        Execute(writer.WrittenSpan, $"RTM_NEWNEIGH {destination} lladdr {linkLayerAddress} dev {linkIndex}{(replace ? " (replace)" : string.Empty)}",
            NeighbourMessages.FamilyHeaderSize);
    }

    private static bool ParseNeighbour(NetlinkMessage message, out Neighbour neighbour)
    {
        bool ok = NeighbourMessages.TryParse(message, out Neighbour? parsed);
        neighbour = parsed!;
        return ok;
    }
}

using System;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoder of neighbour messages (<c>RTM_NEWNEIGH</c>, <c>RTM_DELNEIGH</c>, <c>RTM_GETNEIGH</c>).
/// Encoders allocate nothing; their bytes match iproute2's for the same command.
/// </summary>
public static class NeighbourMessages
{
    /// <summary>Size of <c>struct ndmsg</c>.</summary>
    public const int FamilyHeaderSize = 12;

    /// <summary>The longest link-layer address (<c>MAX_ADDR_LEN</c>).</summary>
    public const int MaxLinkLayerAddressLength = 32;

    /// <summary>
    /// Writes the request that adds (or with <paramref name="replace"/>, replaces) a neighbour entry.
    /// Equivalent to: <c>ip neigh add|replace ADDRESS lladdr LLADDR dev IFINDEX nud STATE</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not IPv4/IPv6 or the link-layer address is empty or too long.</exception>
    public static void WriteAdd(ref NetlinkWriter writer, int index, IPAddress destination, scoped ReadOnlySpan<byte> linkLayerAddress,
        NeighbourState state = NeighbourState.Permanent, bool replace = false)
    {
        Validate(destination, linkLayerAddress.Length);
        NetlinkMessageFlags flags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
            | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWNEIGH, flags);
        writer.WriteHeader(new NdMsg { ndm_family = AddressMessages.FamilyOf(destination), ndm_ifindex = index, ndm_state = (ushort)state });
        writer.WriteIPAddress(Nda.NDA_DST, destination);
        writer.WriteBytes(Nda.NDA_LLADDR, linkLayerAddress);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that deletes a neighbour entry. Equivalent to: <c>ip neigh del ADDRESS dev IFINDEX</c>.</summary>
    /// <exception cref="ArgumentException">The address is not IPv4/IPv6.</exception>
    public static void WriteDelete(ref NetlinkWriter writer, int index, IPAddress destination)
    {
        Validate(destination, 6);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_DELNEIGH, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);

        // iproute2 leaves its default state (permanent) in the header of a delete; the kernel ignores it.
        writer.WriteHeader(new NdMsg { ndm_family = AddressMessages.FamilyOf(destination), ndm_ifindex = index, ndm_state = (ushort)NeighbourState.Permanent });
        writer.WriteIPAddress(Nda.NDA_DST, destination);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the dump request for neighbour entries, filtered by the kernel (strict checking, <c>NDA_IFINDEX</c>)
    /// to one link and/or one family. Equivalent to: <c>ip [-4|-6] neigh show [dev IFINDEX]</c>.
    /// </summary>
    public static void WriteDump(ref NetlinkWriter writer, AddressFamily family = AddressFamily.Unspecified, int index = 0)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETNEIGH, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new NdMsg { ndm_family = AddressMessages.ToKernelFamily(family) });
        if (index > 0)
        {
            writer.WriteUInt32(Nda.NDA_IFINDEX, (uint)index);
        }

        writer.EndMessage(message);
    }

    /// <summary>Decodes an <c>RTM_NEWNEIGH</c> or <c>RTM_DELNEIGH</c> message; returns false for entries without an IP destination (e.g. bridge FDB entries).</summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed or of another type.</exception>
    public static bool TryParse(NetlinkMessage message, out Neighbour? neighbour)
    {
        neighbour = null;
        if (message.Type is not (Rtm.RTM_NEWNEIGH or Rtm.RTM_DELNEIGH))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWNEIGH or RTM_DELNEIGH, got message type {message.Type}.");
        }

        NdMsg header = message.ReadHeader<NdMsg>();
        if (header.ndm_family is not (AddressFamilies.AF_INET or AddressFamilies.AF_INET6))
        {
            return false;
        }

        IPAddress? destination = null;
        PhysicalAddress? lladdr = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes(FamilyHeaderSize))
        {
            switch (attribute.Type)
            {
                case Nda.NDA_DST:
                    destination = attribute.GetIPAddress();
                    break;
                case Nda.NDA_LLADDR:
                    lladdr = new PhysicalAddress(attribute.Value.ToArray());
                    break;
            }
        }

        if (destination is null)
        {
            return false;
        }

        neighbour = new Neighbour(header.ndm_ifindex, destination, lladdr, (NeighbourState)header.ndm_state, (NeighbourFlags)header.ndm_flags);
        return true;
    }

    private static void Validate(IPAddress destination, int linkLayerLength)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{destination} is neither an IPv4 nor an IPv6 address.", nameof(destination));
        }

        if (linkLayerLength is 0 or > MaxLinkLayerAddressLength)
        {
            throw new ArgumentException($"A link-layer address is 1 to {MaxLinkLayerAddressLength} bytes; this one is {linkLayerLength}.", nameof(linkLayerLength));
        }
    }
}

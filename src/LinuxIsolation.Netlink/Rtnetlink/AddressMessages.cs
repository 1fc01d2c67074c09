using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Encoders of address messages (<c>RTM_NEWADDR</c>, <c>RTM_DELADDR</c>); no allocation.</summary>
public static class AddressMessages
{
    /// <summary>Size of <c>struct ifaddrmsg</c>.</summary>
    public const int FamilyHeaderSize = 8;

    /// <summary><c>IFA_ADDRESS</c>: the peer address (equal to the local one on broadcast links).</summary>
    public const ushort IFA_ADDRESS = 1;
    /// <summary><c>IFA_LOCAL</c>: the local address.</summary>
    public const ushort IFA_LOCAL = 2;
    /// <summary><c>IFA_LABEL</c>: the label (string).</summary>
    public const ushort IFA_LABEL = 3;
    /// <summary><c>IFA_BROADCAST</c>: the broadcast address.</summary>
    public const ushort IFA_BROADCAST = 4;
    /// <summary><c>IFA_CACHEINFO</c>: lifetimes (<c>struct ifa_cacheinfo</c>).</summary>
    public const ushort IFA_CACHEINFO = 6;
    /// <summary><c>IFA_FLAGS</c>: all 32 bits of the <c>IFA_F_*</c> flags.</summary>
    public const ushort IFA_FLAGS = 8;

    /// <summary>
    /// Writes the request that adds an address to a link. Equivalent to: <c>ip addr add ADDRESS/PREFIX dev IFINDEX</c>;
    /// with <paramref name="replace"/>, <c>ip addr replace</c>.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="index">The link's index.</param>
    /// <param name="address">The address.</param>
    /// <param name="prefixLength">The prefix length (0..32 for IPv4, 0..128 for IPv6).</param>
    /// <param name="flags">The <c>IFA_F_*</c> flags (e.g. <c>IFA_F_NODAD</c> = 0x02); the low 8 bits travel in the header as iproute2 sends them, higher bits in <c>IFA_FLAGS</c>.</param>
    /// <param name="replace">Replace an existing address instead of failing with EEXIST.</param>
    /// <exception cref="ArgumentException">The prefix length does not fit the address family.</exception>
    public static void WriteAdd(ref NetlinkWriter writer, int index, IPAddress address, int prefixLength, uint flags = 0, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        int maxPrefix = v6 ? 128 : 32;
        if ((uint)prefixLength > (uint)maxPrefix)
        {
            throw new ArgumentException($"Prefix length {prefixLength} is outside 0..{maxPrefix} for {address}.", nameof(prefixLength));
        }

        NetlinkMessageFlags messageFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
            | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWADDR, messageFlags);
        writer.WriteHeader(new IfAddrMsg
        {
            ifa_family = v6 ? AddressFamilies.AF_INET6 : AddressFamilies.AF_INET,
            ifa_prefixlen = (byte)prefixLength,
            ifa_flags = (byte)flags,
            ifa_index = (uint)index,
        });
        writer.WriteIPAddress(IFA_LOCAL, address);
        writer.WriteIPAddress(IFA_ADDRESS, address);
        if (flags > 0xFF)
        {
            writer.WriteUInt32(IFA_FLAGS, flags);
        }

        writer.EndMessage(message);
    }
}

using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoder of address messages (<c>RTM_NEWADDR</c>, <c>RTM_DELADDR</c>, <c>RTM_GETADDR</c>).
/// Encoders allocate nothing and write the attributes in iproute2's order.
/// </summary>
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

    /// <summary>The longest label in bytes (<c>IFNAMSIZ</c> - 1).</summary>
    public const int MaxLabelLength = 15;

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
    public static void WriteAdd(ref NetlinkWriter writer, int index, IPAddress address, int prefixLength, uint flags = 0, bool replace = false) =>
        WriteAddCore(ref writer, index, address, prefixLength, (AddressFlags)flags, null, null, null, null, replace);

    /// <summary>
    /// Writes the request that adds (or with <paramref name="replace"/>, replaces) an address with the optional
    /// settings of <paramref name="options"/>. Equivalent to:
    /// <c>ip addr add|replace ADDRESS/PREFIX [peer PEER] [broadcast BRD] [label LABEL] [scope SCOPE] [FLAGS] dev IFINDEX</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are inconsistent (see <see cref="Validate"/>).</exception>
    public static void WriteAdd(ref NetlinkWriter writer, int index, IPAddress address, int prefixLength, AddressOptions? options, bool replace = false)
    {
        Validate(address, prefixLength, options);
        WriteAddCore(ref writer, index, address, prefixLength, options?.Flags ?? AddressFlags.None, options?.Peer, options?.Broadcast,
            options?.Label, options?.Scope, replace);
    }

    /// <summary>Writes the request that removes an address from a link. Equivalent to: <c>ip addr del ADDRESS/PREFIX dev IFINDEX</c>.</summary>
    /// <exception cref="ArgumentException">The prefix length does not fit the address family.</exception>
    public static void WriteDelete(ref NetlinkWriter writer, int index, IPAddress address, int prefixLength)
    {
        Validate(address, prefixLength, null);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_DELADDR, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new IfAddrMsg
        {
            ifa_family = FamilyOf(address),
            ifa_prefixlen = (byte)prefixLength,
            ifa_index = (uint)index,
        });
        writer.WriteIPAddress(IFA_LOCAL, address);
        writer.WriteIPAddress(IFA_ADDRESS, address);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the dump request for addresses, filtered by the kernel (strict checking) to one link and/or one
    /// family. Equivalent to: <c>ip [-4|-6] addr show [dev IFINDEX]</c>.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/>, <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="index">A link index, or 0 for every link.</param>
    public static void WriteDump(ref NetlinkWriter writer, AddressFamily family = AddressFamily.Unspecified, int index = 0)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETADDR, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new IfAddrMsg { ifa_family = ToKernelFamily(family), ifa_index = (uint)index });
        writer.EndMessage(message);
    }

    /// <summary>
    /// Checks an address and its settings before anything is sent: an IPv4 or IPv6 address, a prefix length
    /// within the family's bits, a peer of the same family, a broadcast and a label only for IPv4, a label of at
    /// most 15 bytes.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public static void Validate(IPAddress address, int prefixLength, AddressOptions? options)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{address} is neither an IPv4 nor an IPv6 address.", nameof(address));
        }

        int maxPrefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if ((uint)prefixLength > (uint)maxPrefix)
        {
            throw new ArgumentException($"Prefix length {prefixLength} is outside 0..{maxPrefix} for {address}.", nameof(prefixLength));
        }

        if (options is null)
        {
            return;
        }

        if (options.Peer is not null && options.Peer.AddressFamily != address.AddressFamily)
        {
            throw new ArgumentException($"The peer {options.Peer} is not of the same address family as {address}.", nameof(options));
        }

        if (options.Broadcast is not null && (address.AddressFamily != AddressFamily.InterNetwork || options.Broadcast.AddressFamily != AddressFamily.InterNetwork))
        {
            throw new ArgumentException($"A broadcast address ({options.Broadcast}) goes only with an IPv4 address.", nameof(options));
        }

        if (options.Label is not null)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork)
            {
                throw new ArgumentException("Address labels exist only for IPv4 addresses.", nameof(options));
            }

            int bytes = Encoding.UTF8.GetByteCount(options.Label);
            if (bytes is 0 or > MaxLabelLength || options.Label.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"An address label is 1 to {MaxLabelLength} bytes without NUL; \"{options.Label}\" is {bytes}.", nameof(options));
            }
        }
    }

    /// <summary>Decodes an <c>RTM_NEWADDR</c> or <c>RTM_DELADDR</c> message into an <see cref="InterfaceAddress"/>.</summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed, of another type, carries no address, or has a prefix length longer than its address.</exception>
    public static InterfaceAddress Parse(NetlinkMessage message)
    {
        if (message.Type is not (Rtm.RTM_NEWADDR or Rtm.RTM_DELADDR))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWADDR or RTM_DELADDR, got message type {message.Type}.");
        }

        IfAddrMsg header = message.ReadHeader<IfAddrMsg>();
        IPAddress? local = null;
        IPAddress? address = null;
        IPAddress? broadcast = null;
        string? label = null;
        uint flags = header.ifa_flags;
        uint? valid = null;
        uint? preferred = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes(FamilyHeaderSize))
        {
            switch (attribute.Type)
            {
                case IFA_ADDRESS:
                    address = attribute.GetIPAddress();
                    break;
                case IFA_LOCAL:
                    local = attribute.GetIPAddress();
                    break;
                case IFA_BROADCAST:
                    broadcast = attribute.GetIPAddress();
                    break;
                case IFA_LABEL:
                    label = attribute.GetString();
                    break;
                case IFA_FLAGS:
                    flags = attribute.GetUInt32();
                    break;
                case IFA_CACHEINFO:
                    // struct ifa_cacheinfo { __u32 ifa_prefered; __u32 ifa_valid; __u32 cstamp; __u32 tstamp; };
                    preferred = attribute.GetUInt32();
                    valid = attribute.Value.Length >= 8 ? BitConverter.ToUInt32(attribute.Value.Slice(4, 4)) : null;
                    break;
            }
        }

        IPAddress own = local ?? address ?? throw new NetlinkDecodeException($"Address message for link {header.ifa_index} carries neither IFA_LOCAL nor IFA_ADDRESS.");
        if (header.ifa_prefixlen > (own.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
        {
            throw new NetlinkDecodeException($"Address message for link {header.ifa_index}: ifa_prefixlen {header.ifa_prefixlen} is longer than the address {own}.");
        }

        IPAddress? peer = local is not null && address is not null && !local.Equals(address) ? address : null;
        return new InterfaceAddress((int)header.ifa_index, own, header.ifa_prefixlen, peer, broadcast, label,
            (RouteScope)header.ifa_scope, (AddressFlags)flags, valid, preferred);
    }

    /// <summary>The prefix <paramref name="address"/>/<paramref name="prefixLength"/> is in, host bits cleared.</summary>
    /// <exception cref="ArgumentException">The prefix length does not fit the address family.</exception>
    public static IPNetwork ToNetwork(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int length);
        if ((uint)prefixLength > (uint)(length * 8))
        {
            throw new ArgumentException($"Prefix length {prefixLength} is outside 0..{length * 8} for {address}.", nameof(prefixLength));
        }

        for (int bit = prefixLength; bit < length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes.Slice(0, length)), prefixLength);
    }

    /// <summary>iproute2's default: host scope for 127.0.0.0/8, global otherwise.</summary>
    private static RouteScope DefaultScope(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return RouteScope.Universe;
        }

        Span<byte> bytes = stackalloc byte[4];
        return address.TryWriteBytes(bytes, out _) && bytes[0] == 127 ? RouteScope.Host : RouteScope.Universe;
    }

    internal static byte FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFamilies.AF_INET6 : AddressFamilies.AF_INET;

    internal static byte ToKernelFamily(AddressFamily family) => family switch
    {
        AddressFamily.Unspecified => AddressFamilies.AF_UNSPEC,
        AddressFamily.InterNetwork => AddressFamilies.AF_INET,
        AddressFamily.InterNetworkV6 => AddressFamilies.AF_INET6,
        _ => throw new ArgumentException($"Address family {family} is not Unspecified, InterNetwork or InterNetworkV6.", nameof(family)),
    };

    private static void WriteAddCore(ref NetlinkWriter writer, int index, IPAddress address, int prefixLength, AddressFlags flags,
        IPAddress? peer, IPAddress? broadcast, string? label, RouteScope? scope, bool replace)
    {
        ArgumentNullException.ThrowIfNull(address);
        int maxPrefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if ((uint)prefixLength > (uint)maxPrefix)
        {
            throw new ArgumentException($"Prefix length {prefixLength} is outside 0..{maxPrefix} for {address}.", nameof(prefixLength));
        }

        NetlinkMessageFlags messageFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create
            | (replace ? NetlinkMessageFlags.Replace : NetlinkMessageFlags.Exclusive);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWADDR, messageFlags);
        writer.WriteHeader(new IfAddrMsg
        {
            ifa_family = FamilyOf(address),
            ifa_prefixlen = (byte)prefixLength,
            ifa_flags = (byte)flags,
            ifa_scope = (byte)(scope ?? DefaultScope(address)),
            ifa_index = (uint)index,
        });

        // iproute2's order: local, broadcast, label, then the "address" (peer or local) last.
        writer.WriteIPAddress(IFA_LOCAL, address);
        if (broadcast is not null)
        {
            writer.WriteIPAddress(IFA_BROADCAST, broadcast);
        }

        if (label is not null)
        {
            writer.WriteString(IFA_LABEL, label);
        }

        writer.WriteIPAddress(IFA_ADDRESS, peer ?? address);
        if ((uint)flags > 0xFF)
        {
            writer.WriteUInt32(IFA_FLAGS, (uint)flags);
        }

        writer.EndMessage(message);
    }
}

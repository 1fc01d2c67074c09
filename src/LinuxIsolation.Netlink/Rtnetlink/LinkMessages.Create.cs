using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

public static partial class LinkMessages
{
    /// <summary>The longest link kind accepted (<c>IFLA_INFO_KIND</c> names a kernel module).</summary>
    public const int MaxKindLength = 55;

    /// <summary>
    /// Writes the request that creates a veth pair, the peer created directly in the namespace
    /// <paramref name="peerNamespace"/> (or in the socket's namespace for the default value).
    /// Equivalent to: <c>ip link add NAME type veth peer name PEER [netns NS]</c>.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">Name of the end created in the socket's namespace.</param>
    /// <param name="peerName">Name of the peer end.</param>
    /// <param name="peerNamespace">Where the peer is created (<c>IFLA_NET_NS_FD</c> or <c>IFLA_NET_NS_PID</c> in the peer's nest); the default, the socket's namespace, writes neither. A handle must stay open until the message is sent.</param>
    /// <remarks>The one writer of this request: <see cref="RtnetlinkClient.CreateVeth(string, string, NetworkNamespaceTarget)"/> sends what it writes (with <c>NLM_F_ECHO</c> added).</remarks>
    public static void WriteCreateVeth(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> peerName, NetworkNamespaceTarget peerNamespace = default) =>
        WriteCreateVeth(ref writer, name, peerName, peerNamespace, default);

    /// <summary>
    /// Writes the request that creates a veth pair as <see cref="WriteCreateVeth(ref NetlinkWriter, ReadOnlySpan{char}, ReadOnlySpan{char}, NetworkNamespaceTarget)"/>
    /// does, the end named first also made a port of <see cref="VethCreateOptions.MasterIndex"/> and set up as
    /// <paramref name="options"/> says. Equivalent to: <c>ip link add NAME [up] [master MASTER] type veth peer name PEER [netns NS]</c>
    /// (the same bytes, sequence number aside: <c>IFF_UP</c> in the header, <c>IFLA_MASTER</c> before <c>IFLA_IFNAME</c>).
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">Name of the end created in the socket's namespace.</param>
    /// <param name="peerName">Name of the peer end.</param>
    /// <param name="peerNamespace">Where the peer is created; the default, the socket's namespace, writes nothing.</param>
    /// <param name="options">Master and up state of the end named first; the default writes neither.</param>
    public static void WriteCreateVeth(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> peerName, NetworkNamespaceTarget peerNamespace, VethCreateOptions options)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(new IfInfoMsg
        {
            ifi_flags = options.Up ? (uint)LinkFlags.Up : 0,
            ifi_change = options.Up ? (uint)LinkFlags.Up : 0,
        });
        if (options.MasterIndex != 0)
        {
            writer.WriteUInt32(Ifla.IFLA_MASTER, (uint)options.MasterIndex);
        }

        writer.WriteString(Ifla.IFLA_IFNAME, name);
        NetlinkNestToken linkInfo = writer.BeginNested(Ifla.IFLA_LINKINFO);
        writer.WriteBytes(Ifla.IFLA_INFO_KIND, "veth"u8);
        NetlinkNestToken data = writer.BeginNested(Ifla.IFLA_INFO_DATA);
        NetlinkNestToken peer = writer.BeginNested(Ifla.VETH_INFO_PEER);
        writer.WriteHeader(default(IfInfoMsg));
        peerNamespace.Write(ref writer);
        writer.WriteString(Ifla.IFLA_IFNAME, peerName);
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that creates a link of kind <paramref name="kind"/> with no kind-specific settings.
    /// Equivalent to: <c>ip link add NAME type KIND</c> (e.g. <c>bridge</c>).
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The new link's name.</param>
    /// <param name="kind">The link kind, ASCII (e.g. "bridge"); sent without a NUL terminator, as iproute2 sends it.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty, longer than <see cref="MaxKindLength"/> or not ASCII.</exception>
    public static void WriteCreate(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<char> kind)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        NetlinkNestToken linkInfo = writer.BeginNested(Ifla.IFLA_LINKINFO);
        WriteKind(ref writer, kind);
        writer.EndNested(linkInfo);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that creates a bridge. Equivalent to: <c>ip link add NAME type bridge</c>.</summary>
    public static void WriteCreateBridge(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name) =>
        WriteCreate(ref writer, name, "bridge");

    /// <summary>
    /// Writes the request that creates a macvlan link on top of <paramref name="parentIndex"/>.
    /// Equivalent to: <c>ip link add NAME link PARENT type macvlan mode MODE</c>.
    /// </summary>
    public static void WriteCreateMacvlan(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, int parentIndex, MacvlanMode mode)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteUInt32(Ifla.IFLA_LINK, (uint)parentIndex);
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        NetlinkNestToken linkInfo = writer.BeginNested(Ifla.IFLA_LINKINFO);
        writer.WriteBytes(Ifla.IFLA_INFO_KIND, "macvlan"u8);
        NetlinkNestToken data = writer.BeginNested(Ifla.IFLA_INFO_DATA);
        writer.WriteUInt32(Ifla.IFLA_MACVLAN_MODE, (uint)mode);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that creates a VXLAN link, attributes in iproute2's order.
    /// Equivalent to: <c>ip link add NAME type vxlan id ID [dstport PORT] [remote|group ADDR] [local ADDR] [dev DEV]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are inconsistent (see <see cref="ValidateVxlan"/>).</exception>
    public static void WriteCreateVxlan(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, VxlanOptions options)
    {
        ValidateVxlan(options);
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, CreateFlags);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        NetlinkNestToken linkInfo = writer.BeginNested(Ifla.IFLA_LINKINFO);
        writer.WriteBytes(Ifla.IFLA_INFO_KIND, "vxlan"u8);
        NetlinkNestToken data = writer.BeginNested(Ifla.IFLA_INFO_DATA);
        if (options.DeviceIndex is int device)
        {
            writer.WriteUInt32(Ifla.IFLA_VXLAN_LINK, (uint)device);
        }

        writer.WriteUInt32(Ifla.IFLA_VXLAN_ID, options.Id);
        if (options.Local is IPAddress local)
        {
            writer.WriteIPAddress(local.AddressFamily == AddressFamily.InterNetworkV6 ? Ifla.IFLA_VXLAN_LOCAL6 : Ifla.IFLA_VXLAN_LOCAL, local);
        }

        if (options.Remote is IPAddress remote)
        {
            writer.WriteIPAddress(remote.AddressFamily == AddressFamily.InterNetworkV6 ? Ifla.IFLA_VXLAN_GROUP6 : Ifla.IFLA_VXLAN_GROUP, remote);
        }

        if (options.Ttl is byte ttl)
        {
            writer.WriteUInt8(Ifla.IFLA_VXLAN_TTL, ttl);
        }

        writer.WriteUInt8(Ifla.IFLA_VXLAN_LEARNING, options.Learning ? (byte)1 : (byte)0);
        if (options.Port is ushort port)
        {
            writer.WriteUInt16BigEndian(Ifla.IFLA_VXLAN_PORT, port);
        }

        writer.EndNested(data);
        writer.EndNested(linkInfo);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Checks VXLAN settings: an id below 2^24, local and remote of one family, a multicast group only with a
    /// device, a positive device index.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public static void ValidateVxlan(VxlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Id > 0xFFFFFF)
        {
            throw new ArgumentException($"VXLAN id {options.Id} is outside 0..16777215 (24 bits).", nameof(options));
        }

        if (options.DeviceIndex is int d && d <= 0)
        {
            throw new ArgumentException($"VXLAN device index {d} must be positive.", nameof(options));
        }

        if (options.Local is not null && options.Remote is not null && options.Local.AddressFamily != options.Remote.AddressFamily)
        {
            throw new ArgumentException($"VXLAN local {options.Local} and remote {options.Remote} are of different address families.", nameof(options));
        }

        if (!IsIP(options.Local) || !IsIP(options.Remote))
        {
            throw new ArgumentException("VXLAN local and remote addresses must be IPv4 or IPv6.", nameof(options));
        }

        if (options.Remote is IPAddress r && IsMulticast(r) && options.DeviceIndex is null)
        {
            throw new ArgumentException($"VXLAN multicast group {r} needs a device (DeviceIndex).", nameof(options));
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="kind"/> is 1 to <see cref="MaxKindLength"/> printable ASCII characters.</summary>
    public static void ValidateKind(string kind, string paramName)
    {
        ArgumentNullException.ThrowIfNull(kind, paramName);
        if (kind.Length == 0 || kind.Length > MaxKindLength)
        {
            throw new ArgumentException($"A link kind is 1 to {MaxKindLength} characters; \"{kind}\" is {kind.Length}.", paramName);
        }

        foreach (char c in kind)
        {
            if (c <= ' ' || c > '~')
            {
                throw new ArgumentException($"The link kind \"{kind}\" contains a character that is not printable ASCII.", paramName);
            }
        }
    }

    private static void WriteKind(ref NetlinkWriter writer, scoped ReadOnlySpan<char> kind)
    {
        if (kind.IsEmpty || kind.Length > MaxKindLength)
        {
            throw new ArgumentException($"A link kind is 1 to {MaxKindLength} characters.", nameof(kind));
        }

        Span<byte> bytes = stackalloc byte[MaxKindLength];
        for (int i = 0; i < kind.Length; i++)
        {
            if (kind[i] > 0x7F)
            {
                throw new ArgumentException("A link kind is ASCII.", nameof(kind));
            }

            bytes[i] = (byte)kind[i];
        }

        writer.WriteBytes(Ifla.IFLA_INFO_KIND, bytes.Slice(0, kind.Length));
    }

    private static bool IsIP(IPAddress? address) =>
        address is null || address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;

    private static bool IsMulticast(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6Multicast;
        }

        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out _) && (bytes[0] & 0xF0) == 0xE0;
    }
}

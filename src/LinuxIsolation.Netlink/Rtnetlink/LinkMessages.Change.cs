using System;
using System.Text;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

public static partial class LinkMessages
{
    private const NetlinkMessageFlags ChangeFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack;

    /// <summary>The longest alias in bytes (<c>IFALIASZ</c> - 1).</summary>
    public const int MaxAliasLength = 255;

    /// <summary>Writes the request that sets a link's MTU. Equivalent to: <c>ip link set dev IFINDEX mtu MTU</c>.</summary>
    public static void WriteSetMtu(ref NetlinkWriter writer, int index, uint mtu)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        writer.WriteUInt32(Ifla.IFLA_MTU, mtu);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that sets a link's hardware address. Equivalent to: <c>ip link set dev IFINDEX address LLADDR</c>.</summary>
    public static void WriteSetAddress(ref NetlinkWriter writer, int index, scoped ReadOnlySpan<byte> address)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        writer.WriteBytes(Ifla.IFLA_ADDRESS, address);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that renames a link (it must be down). Equivalent to: <c>ip link set dev IFINDEX name NEWNAME</c>.</summary>
    public static void WriteSetName(ref NetlinkWriter writer, int index, scoped ReadOnlySpan<char> name)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that sets a link's alias (sent without a NUL terminator, as iproute2 sends it); an
    /// empty alias removes it. Equivalent to: <c>ip link set dev IFINDEX alias ALIAS</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The alias is longer than <see cref="MaxAliasLength"/> bytes of UTF-8.</exception>
    public static void WriteSetAlias(ref NetlinkWriter writer, int index, scoped ReadOnlySpan<char> alias)
    {
        Span<byte> utf8 = stackalloc byte[MaxAliasLength];
        if (!Encoding.UTF8.TryGetBytes(alias, utf8, out int length))
        {
            throw new ArgumentException($"An alias is at most {MaxAliasLength} bytes of UTF-8.", nameof(alias));
        }

        NetlinkMessageToken message = BeginChange(ref writer, index);
        writer.WriteBytes(Ifla.IFLA_IFALIAS, utf8.Slice(0, length));
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that makes a link a port of master <paramref name="masterIndex"/> (e.g. a bridge), or
    /// releases it from its master when <paramref name="masterIndex"/> is 0.
    /// Equivalent to: <c>ip link set dev IFINDEX master MASTER</c>, or <c>ip link set dev IFINDEX nomaster</c>.
    /// </summary>
    public static void WriteSetMaster(ref NetlinkWriter writer, int index, int masterIndex)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        writer.WriteUInt32(Ifla.IFLA_MASTER, (uint)masterIndex);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that turns hairpin mode of a bridge port on or off (the bridge then sends frames back out of the
    /// port they came in on). Equivalent to: <c>ip link set dev IFINDEX type bridge_slave hairpin on|off</c>, byte for byte:
    /// <c>IFLA_LINKINFO { IFLA_INFO_KIND "bridge_slave" (no NUL, as iproute2 writes it), IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_MODE } }</c>.
    /// </summary>
    public static void WriteSetBridgePortHairpin(ref NetlinkWriter writer, int index, bool on)
    {
        NetlinkMessageToken message = BeginChange(ref writer, index);
        NetlinkNestToken info = writer.BeginNested(Ifla.IFLA_LINKINFO);
        writer.WriteBytes(Ifla.IFLA_INFO_KIND, "bridge_slave"u8);
        NetlinkNestToken data = writer.BeginNested(Ifla.IFLA_INFO_SLAVE_DATA);
        writer.WriteUInt8(IFLA_BRPORT_MODE, on ? (byte)1 : (byte)0);
        writer.EndNested(data);
        writer.EndNested(info);
        writer.EndMessage(message);
    }

    /// <summary><c>IFLA_BRPORT_MODE</c> (u8, in a bridge port's <c>IFLA_INFO_SLAVE_DATA</c>): hairpin mode.</summary>
    private const ushort IFLA_BRPORT_MODE = 4;

    /// <summary>
    /// Writes the request that moves a link into another network namespace.
    /// Equivalent to: <c>ip link set dev IFINDEX netns NS</c> (NS a name, opened as a descriptor, or a pid).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> names no namespace.</exception>
    public static void WriteSetNamespace(ref NetlinkWriter writer, int index, NetworkNamespaceTarget target)
    {
        if (!target.IsSpecified)
        {
            throw new ArgumentException("The target network namespace is not specified.", nameof(target));
        }

        NetlinkMessageToken message = BeginChange(ref writer, index);
        target.Write(ref writer);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that deletes a link by index. Equivalent to: <c>ip link del dev IFINDEX</c>.</summary>
    public static void WriteDelete(ref NetlinkWriter writer, int index)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_DELLINK, ChangeFlags);
        writer.WriteHeader(new IfInfoMsg { ifi_index = index });
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that deletes a link by name (the kernel looks it up). Equivalent to: <c>ip link del dev NAME</c>.</summary>
    public static void WriteDelete(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_DELLINK, ChangeFlags);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that sets the link named <paramref name="name"/> up or down; the kernel looks the name up
    /// (<c>ifi_index</c> 0 and <c>IFLA_IFNAME</c>), so no index lookup comes first. Equivalent to: <c>ip link set dev NAME up|down</c>.
    /// </summary>
    public static void WriteSetUp(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, bool up)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, ChangeFlags);
        writer.WriteHeader(new IfInfoMsg
        {
            ifi_flags = up ? (uint)LinkFlags.Up : 0,
            ifi_change = (uint)LinkFlags.Up,
        });
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that sets the MTU of the link named <paramref name="name"/> (looked up by the kernel). Equivalent to: <c>ip link set dev NAME mtu MTU</c>.</summary>
    public static void WriteSetMtu(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, uint mtu)
    {
        NetlinkMessageToken message = BeginChange(ref writer, name);
        writer.WriteUInt32(Ifla.IFLA_MTU, mtu);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that sets the hardware address of the link named <paramref name="name"/> (looked up by the kernel). Equivalent to: <c>ip link set dev NAME address LLADDR</c>.</summary>
    public static void WriteSetAddress(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, scoped ReadOnlySpan<byte> address)
    {
        NetlinkMessageToken message = BeginChange(ref writer, name);
        writer.WriteBytes(Ifla.IFLA_ADDRESS, address);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that makes the link named <paramref name="name"/> (looked up by the kernel) a port of master
    /// <paramref name="masterIndex"/>, or releases it when that is 0. Equivalent to: <c>ip link set dev NAME master MASTER</c> or <c>nomaster</c>.
    /// </summary>
    public static void WriteSetMaster(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, int masterIndex)
    {
        NetlinkMessageToken message = BeginChange(ref writer, name);
        writer.WriteUInt32(Ifla.IFLA_MASTER, (uint)masterIndex);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Writes the request that moves the link named <paramref name="name"/> (looked up by the kernel) into another network namespace.
    /// Equivalent to: <c>ip link set dev NAME netns NS</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> names no namespace.</exception>
    public static void WriteSetNamespace(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name, NetworkNamespaceTarget target)
    {
        if (!target.IsSpecified)
        {
            throw new ArgumentException("The target network namespace is not specified.", nameof(target));
        }

        NetlinkMessageToken message = BeginChange(ref writer, name);
        target.Write(ref writer);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Opens an <c>RTM_NEWLINK</c> change addressed by name: <c>ifi_index</c> 0 and <c>IFLA_IFNAME</c>, which the kernel
    /// uses to find the link (it renames only when an index is given, so the name is never taken as a new one).
    /// </summary>
    private static NetlinkMessageToken BeginChange(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, ChangeFlags);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        return message;
    }

    private static NetlinkMessageToken BeginChange(ref NetlinkWriter writer, int index)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, ChangeFlags);
        writer.WriteHeader(new IfInfoMsg { ifi_index = index });
        return message;
    }
}

using System;
using System.Net.NetworkInformation;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoders of link messages (<c>RTM_NEWLINK</c>, <c>RTM_GETLINK</c>, ...). Each encoder writes
/// one complete message with a <see cref="NetlinkWriter"/> and allocates nothing; the bytes match what
/// iproute2 sends for the same command (sequence number aside).
/// </summary>
public static partial class LinkMessages
{
    /// <summary>Size of <c>struct ifinfomsg</c>.</summary>
    public const int FamilyHeaderSize = 16;

    private const NetlinkMessageFlags CreateFlags = NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Create | NetlinkMessageFlags.Exclusive;

    /// <summary>
    /// Writes the request that sets a link up or down. Equivalent to: <c>ip link set dev IFINDEX up|down</c>.
    /// </summary>
    public static void WriteSetUp(ref NetlinkWriter writer, int index, bool up)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_NEWLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack);
        writer.WriteHeader(new IfInfoMsg
        {
            ifi_index = index,
            ifi_flags = up ? (uint)LinkFlags.Up : 0,
            ifi_change = (uint)LinkFlags.Up,
        });
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that asks the kernel for one link by name. Equivalent to: <c>ip link show dev NAME</c>.</summary>
    public static void WriteGetByName(ref NetlinkWriter writer, scoped ReadOnlySpan<char> name)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteString(Ifla.IFLA_IFNAME, name);
        writer.WriteUInt32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        writer.EndMessage(message);
    }

    /// <summary>Writes the request that asks the kernel for one link by index. Equivalent to: <c>ip link show</c> for one index.</summary>
    public static void WriteGetByIndex(ref NetlinkWriter writer, int index)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETLINK, NetlinkMessageFlags.Request);
        writer.WriteHeader(new IfInfoMsg { ifi_index = index });
        writer.WriteUInt32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        writer.EndMessage(message);
    }

    /// <summary>Writes the dump request for every link. Equivalent to: <c>ip link show</c>.</summary>
    public static void WriteDump(ref NetlinkWriter writer)
    {
        NetlinkMessageToken message = writer.BeginMessage(Rtm.RTM_GETLINK, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(default(IfInfoMsg));
        writer.WriteUInt32(Ifla.IFLA_EXT_MASK, Ifla.RTEXT_FILTER_SKIP_STATS);
        writer.EndMessage(message);
    }

    /// <summary>
    /// Reads a link's index and name without allocating: <paramref name="name"/> is a view of the name's
    /// UTF-8 bytes in the message. Returns false for a message that is not <c>RTM_NEWLINK</c> or has no name.
    /// </summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed.</exception>
    public static bool TryReadIndexAndName(NetlinkMessage message, out int index, out ReadOnlySpan<byte> name)
    {
        index = 0;
        name = default;
        if (message.Type != Rtm.RTM_NEWLINK)
        {
            return false;
        }

        index = message.ReadHeader<IfInfoMsg>().ifi_index;
        foreach (NetlinkAttribute attribute in message.GetAttributes(FamilyHeaderSize))
        {
            if (attribute.Type == Ifla.IFLA_IFNAME)
            {
                name = attribute.GetStringBytes();
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes an <c>RTM_NEWLINK</c> (or, from an event, <c>RTM_DELLINK</c>) message into a <see cref="Link"/>.</summary>
    /// <exception cref="NetlinkDecodeException">The message is malformed or of another type.</exception>
    public static Link Parse(NetlinkMessage message)
    {
        if (message.Type is not (Rtm.RTM_NEWLINK or Rtm.RTM_DELLINK))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWLINK ({Rtm.RTM_NEWLINK}) or RTM_DELLINK, got message type {message.Type}.");
        }

        IfInfoMsg header = message.ReadHeader<IfInfoMsg>();
        string? name = null;
        string? kind = null;
        string? slaveKind = null;
        string? alias = null;
        OperationalState? operState = null;
        uint? mtu = null;
        uint? txqlen = null;
        PhysicalAddress? address = null;
        int? master = null;
        int? link = null;
        int? linkNetNsId = null;
        foreach (NetlinkAttribute attribute in message.GetAttributes(FamilyHeaderSize))
        {
            switch (attribute.Type)
            {
                case Ifla.IFLA_IFNAME:
                    name = attribute.GetString();
                    break;
                case Ifla.IFLA_MTU:
                    mtu = attribute.GetUInt32();
                    break;
                case Ifla.IFLA_TXQLEN:
                    txqlen = attribute.GetUInt32();
                    break;
                case Ifla.IFLA_OPERSTATE:
                    operState = (OperationalState)attribute.GetUInt8();
                    break;
                case Ifla.IFLA_ADDRESS:
                    address = new PhysicalAddress(attribute.Value.ToArray());
                    break;
                case Ifla.IFLA_MASTER:
                    master = (int)attribute.GetUInt32();
                    break;
                case Ifla.IFLA_LINK:
                    link = (int)attribute.GetUInt32();
                    break;
                case Ifla.IFLA_LINK_NETNSID:
                    linkNetNsId = attribute.GetInt32();
                    break;
                case Ifla.IFLA_IFALIAS:
                    alias = attribute.GetString();
                    break;
                case Ifla.IFLA_LINKINFO:
                    foreach (NetlinkAttribute info in attribute.GetNested())
                    {
                        if (info.Type == Ifla.IFLA_INFO_KIND)
                        {
                            kind = info.GetString();
                        }
                        else if (info.Type == Ifla.IFLA_INFO_SLAVE_KIND)
                        {
                            slaveKind = info.GetString();
                        }
                    }

                    break;
            }
        }

        if (name is null)
        {
            throw new NetlinkDecodeException($"RTM_NEWLINK for index {header.ifi_index} carries no IFLA_IFNAME.");
        }

        return new Link(header.ifi_index, name, kind, (LinkFlags)header.ifi_flags, operState, mtu, address,
            master, link, linkNetNsId, alias, txqlen, header.ifi_type, slaveKind);
    }
}

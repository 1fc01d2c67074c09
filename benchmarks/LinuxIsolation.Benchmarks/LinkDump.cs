using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using LinuxIsolation.Netlink.Tests;

namespace LinuxIsolation.Benchmarks;

/// <summary>
/// Builds a realistic <c>RTM_GETLINK</c> dump reply of any size from the kernel reply captured in
/// <c>tests/LinuxIsolation.Netlink.Tests/Vectors/link-dump-reply.txt</c> (kernel 6.18: lo, a bridge and 5 veth
/// pairs, about 1.5 KiB per link).
/// </summary>
/// <remarks>
/// Every generated <c>RTM_NEWLINK</c> is one of the captured messages, attribute for attribute, with a new
/// <c>ifi_index</c> and <c>IFLA_IFNAME</c>; messages are packed into datagrams of at most 32 KiB (the receive
/// buffer iproute2 and <see cref="NetlinkSocket"/> use) and the last datagram is <c>NLMSG_DONE</c>, as the
/// kernel sends it.
/// </remarks>
internal static class LinkDump
{
    private const int DatagramSize = 32 * 1024;
    private const uint Sequence = 1795951818;
    private const uint PortId = 3135;

    /// <summary>The datagrams of a dump of <paramref name="linkCount"/> links (lo first), then <c>NLMSG_DONE</c>.</summary>
    public static byte[][] Build(int linkCount)
    {
        List<byte[]> templates = LoadCapturedLinks();
        var datagrams = new List<byte[]>();
        byte[] pending = new byte[DatagramSize];
        int pendingLength = 0;
        byte[] message = new byte[8192];
        for (int i = 0; i < linkCount; i++)
        {
            // Index 1 is lo (the first captured message); the rest cycle through the bridge and veth ends.
            byte[] template = i == 0 ? templates[0] : templates[1 + ((i - 1) % (templates.Count - 1))];
            int length = Rewrite(template, index: i + 1, message);
            if (pendingLength + length > DatagramSize)
            {
                datagrams.Add(pending.AsSpan(0, pendingLength).ToArray());
                pendingLength = 0;
            }

            message.AsSpan(0, length).CopyTo(pending.AsSpan(pendingLength));
            pendingLength += length;
        }

        datagrams.Add(pending.AsSpan(0, pendingLength).ToArray());
        datagrams.Add(Done());
        return datagrams.ToArray();
    }

    /// <summary>Copies <paramref name="template"/> with index <paramref name="index"/> and a name derived from it.</summary>
    private static int Rewrite(byte[] template, int index, byte[] destination)
    {
        NetlinkMessage source = NetlinkReader.ReadSingle(template);
        IfInfoMsg header = source.ReadHeader<IfInfoMsg>();
        header.ifi_index = index;
        var writer = new NetlinkWriter(destination);
        NetlinkMessageToken token = writer.BeginMessage(source.Type, source.Flags, Sequence, PortId);
        writer.WriteHeader(header);
        foreach (NetlinkAttribute attribute in source.GetAttributes(LinkMessages.FamilyHeaderSize))
        {
            if (attribute.Type == Ifla.IFLA_IFNAME)
            {
                writer.WriteString(Ifla.IFLA_IFNAME, NewName(attribute.GetString(), index));
            }
            else
            {
                writer.WriteBytes(attribute.RawType, attribute.Value);
            }
        }

        writer.EndMessage(token);
        return writer.Length;
    }

    /// <summary>"lo" stays; "br0" becomes "br17", "veth3a" becomes "veth17": the letters of the captured name, then the index.</summary>
    private static string NewName(string captured, int index)
    {
        if (index == 1)
        {
            return captured;
        }

        int letters = 0;
        while (letters < captured.Length && char.IsAsciiLetterLower(captured[letters]))
        {
            letters++;
        }

        return captured.Substring(0, letters) + index.ToString(CultureInfo.InvariantCulture);
    }

    private static byte[] Done()
    {
        byte[] done = new byte[20];
        var writer = new NetlinkWriter(done);
        NetlinkMessageToken token = writer.BeginMessage(NetlinkMessageType.Done, NetlinkMessageFlags.Multi, Sequence, PortId);
        writer.Reserve(4).Clear();
        writer.EndMessage(token);
        return done;
    }

    /// <summary>The captured <c>RTM_NEWLINK</c> messages, in the order the kernel sent them.</summary>
    private static List<byte[]> LoadCapturedLinks()
    {
        const string Vector = "link-dump-reply.txt";
        var links = new List<byte[]>();
        foreach (byte[] datagram in TestVectors.LoadDatagrams(Vector))
        {
            var reader = new NetlinkReader(datagram);
            int offset = 0;
            while (reader.MoveNext())
            {
                int length = reader.Current.Payload.Length + NetlinkWriter.MessageHeaderSize;
                if (reader.Current.Type == Rtm.RTM_NEWLINK)
                {
                    links.Add(datagram.AsSpan(offset, length).ToArray());
                }

                offset += NetlinkWriter.Align(length);
            }
        }

        if (links.Count < 2)
        {
            throw new InvalidDataException($"{Vector} holds {links.Count} RTM_NEWLINK messages; at least 2 are needed.");
        }

        return links;
    }
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// A netlink datagram as a tree the mutator can edit structurally: messages hold a family header and
/// attributes; an attribute whose payload parses cleanly as attributes holds children. Serialising recomputes
/// every length and pads to 4, so structural edits stay well-formed unless a raw mutation breaks them afterwards.
/// </summary>
internal sealed class NlNode
{
    public bool IsMessage;
    public ushort Type;          // nlmsg_type, or the raw nla_type (flag bits included)
    public ushort Flags;         // messages: nlmsg_flags
    public uint Sequence;        // messages: nlmsg_seq
    public uint PortId;          // messages: nlmsg_pid
    public byte[] Head = [];     // messages: the family header; attributes: bytes before nested children (rtnexthop, ifinfomsg)
    public byte[]? Value;        // leaf payload (when Children is null)
    public List<NlNode>? Children;

    public NlNode Clone()
    {
        var c = (NlNode)MemberwiseClone();
        if (Children is not null)
        {
            c.Children = new List<NlNode>(Children.Count);
            foreach (NlNode child in Children)
            {
                c.Children.Add(child.Clone());
            }
        }

        return c;
    }

    /// <summary>Every node of the tree (this one included), depth first.</summary>
    public void Collect(List<NlNode> into)
    {
        into.Add(this);
        if (Children is not null)
        {
            foreach (NlNode child in Children)
            {
                child.Collect(into);
            }
        }
    }
}

internal static class NetlinkTree
{
    /// <summary>Family header size by message type, as the decoders expect it (a guess is enough: a wrong one still round-trips).</summary>
    public static int FamilyHeaderSize(ushort type) => type switch
    {
        2 => 20,                      // NLMSG_ERROR: struct nlmsgerr's error and request header
        >= 16 and <= 19 => 16,        // RTM_*LINK: ifinfomsg
        >= 20 and <= 23 => 8,         // RTM_*ADDR: ifaddrmsg
        >= 24 and <= 27 => 12,        // RTM_*ROUTE: rtmsg
        >= 28 and <= 31 => 12,        // RTM_*NEIGH: ndmsg
        _ when type >> 8 == 10 || type is 0x10 or 0x11 => 4,  // nf_tables (nfgenmsg), batch begin/end
        _ => 0,
    };

    public static List<NlNode> Parse(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<NlNode>();
        int offset = 0;
        while (datagram.Length - offset >= 16)
        {
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(datagram.Slice(offset)), int.MaxValue);
            if (length < 16 || length > datagram.Length - offset)
            {
                break;
            }

            ReadOnlySpan<byte> m = datagram.Slice(offset, length);
            var node = new NlNode
            {
                IsMessage = true,
                Type = BinaryPrimitives.ReadUInt16LittleEndian(m.Slice(4)),
                Flags = BinaryPrimitives.ReadUInt16LittleEndian(m.Slice(6)),
                Sequence = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(8)),
                PortId = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(12)),
            };
            ReadOnlySpan<byte> payload = m.Slice(16);
            int head = Math.Min(Align(FamilyHeaderSize(node.Type)), payload.Length);
            node.Head = payload.Slice(0, head).ToArray();
            node.Children = ParseAttributes(payload.Slice(head), 0);
            if (node.Children is null)
            {
                node.Value = payload.Slice(head).ToArray();
            }

            messages.Add(node);
            offset += Math.Min(Align(length), datagram.Length - offset);
        }

        return messages;
    }

    private static List<NlNode>? ParseAttributes(ReadOnlySpan<byte> data, int depth)
    {
        var list = new List<NlNode>();
        int offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(offset));
            if (length < 4 || length > data.Length - offset)
            {
                return null;
            }

            var node = new NlNode { Type = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(offset + 2)) };
            ReadOnlySpan<byte> value = data.Slice(offset + 4, length - 4);
            if (depth < 8 && value.Length >= 4)
            {
                node.Children = ParseAttributes(value, depth + 1);
                if (node.Children is null && value.Length >= 12)
                {
                    // A fixed header before nested attributes (rtnexthop: 8 bytes; VETH_INFO_PEER: a 16-byte ifinfomsg).
                    foreach (int skip in new[] { 8, 16 })
                    {
                        if (value.Length > skip && ParseAttributes(value.Slice(skip), depth + 1) is { } inner)
                        {
                            node.Head = value.Slice(0, skip).ToArray();
                            node.Children = inner;
                            break;
                        }
                    }
                }
            }

            if (node.Children is null)
            {
                node.Value = value.ToArray();
            }

            list.Add(node);
            offset += Math.Min(Align(length), data.Length - offset);
        }

        return list;
    }

    /// <summary>Writes the messages with every length recomputed; records the offset and width of each length field.</summary>
    public static byte[] Serialize(List<NlNode> messages, List<(int Offset, int Width)>? lengthFields)
    {
        var buffer = new List<byte>(4096);
        foreach (NlNode m in messages)
        {
            int start = buffer.Count;
            lengthFields?.Add((start, 4));
            AddU32(buffer, 0);
            AddU16(buffer, m.Type);
            AddU16(buffer, m.Flags);
            AddU32(buffer, m.Sequence);
            AddU32(buffer, m.PortId);
            buffer.AddRange(m.Head);
            WriteBody(buffer, m, lengthFields);
            int length = buffer.Count - start;
            SetU32(buffer, start, (uint)length);
            Pad(buffer);
        }

        return buffer.ToArray();
    }

    private static void WriteBody(List<byte> buffer, NlNode node, List<(int Offset, int Width)>? lengthFields)
    {
        if (node.Children is null)
        {
            buffer.AddRange(node.Value ?? []);
            return;
        }

        foreach (NlNode a in node.Children)
        {
            Pad(buffer);
            int start = buffer.Count;
            lengthFields?.Add((start, 2));
            AddU16(buffer, 0);
            AddU16(buffer, a.Type);
            if (!a.IsMessage)
            {
                buffer.AddRange(a.Head);
                WriteBody(buffer, a, lengthFields);
            }

            int length = Math.Min(buffer.Count - start, ushort.MaxValue);
            SetU16(buffer, start, (ushort)length);
        }

        Pad(buffer);
    }

    public static int Align(int n) => (n + 3) & ~3;

    private static void Pad(List<byte> b)
    {
        while ((b.Count & 3) != 0)
        {
            b.Add(0);
        }
    }

    private static void AddU16(List<byte> b, ushort v)
    {
        b.Add((byte)v);
        b.Add((byte)(v >> 8));
    }

    private static void AddU32(List<byte> b, uint v)
    {
        AddU16(b, (ushort)v);
        AddU16(b, (ushort)(v >> 16));
    }

    private static void SetU16(List<byte> b, int at, ushort v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >> 8);
    }

    private static void SetU32(List<byte> b, int at, uint v)
    {
        SetU16(b, at, (ushort)v);
        SetU16(b, at + 2, (ushort)(v >> 16));
    }
}

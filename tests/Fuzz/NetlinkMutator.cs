using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// Structure-aware mutations of netlink datagrams: edits of the message/attribute tree (delete, duplicate,
/// reorder, nest deeper, move into another nest, swap types, change flags, boundary numbers, odd strings,
/// family-header corruption, splices from other seeds), then raw edits of the serialised bytes (length-field
/// corruption, truncation, bit flips, insertions and deletions). Deterministic for a given <see cref="Rng"/>.
/// </summary>
internal sealed class NetlinkMutator
{
    private static readonly ushort[] MessageTypes =
    [
        1, 2, 3, 4, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 28, 29, 30, 0x10, 0x11,
        0x0a00, 0x0a01, 0x0a02, 0x0a03, 0x0a04, 0x0a05, 0x0a06, 0x0a07, 0x0a08, 0x0a09, 0x0a0a, 0x0a0b, 0x0a0c, 0x0a0d,
        0x0a0e, 0x0a0f, 0x0a10, 0x0aff, 0xffff, 0,
    ];

    private static readonly ushort[] FlagValues = [0, 1, 2, 4, 8, 0x10, 0x20, 0x100, 0x200, 0x300, 0x302, 0x312, 0x0f00, 0xffff];

    private static readonly ulong[] Boundaries =
    [
        0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000, ulong.MaxValue,
    ];

    private static readonly byte[][] OddStrings =
    [
        [], [0], "x"u8.ToArray(), "veth0"u8.ToArray(), "filter"u8.ToArray(), "nat"u8.ToArray(), "payload"u8.ToArray(),
        "immediate"u8.ToArray(), "lookup"u8.ToArray(), "cmp"u8.ToArray(), "meta"u8.ToArray(), "bitwise"u8.ToArray(),
        "ct"u8.ToArray(), "counter"u8.ToArray(), "masq"u8.ToArray(), "redir"u8.ToArray(), "route"u8.ToArray(),
        "ünïcødé 名前"u8.ToArray(), [0xff, 0xfe, 0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82],
        "no-nul-at-all-and-quite-long-for-an-interface-name"u8.ToArray(), "a\0b"u8.ToArray(), "%s%n{0}\\\""u8.ToArray(),
    ];

    private readonly List<List<NlNode>> _seeds;

    public NetlinkMutator(IEnumerable<byte[]> datagrams)
    {
        _seeds = new List<List<NlNode>>();
        foreach (byte[] d in datagrams)
        {
            List<NlNode> tree = NetlinkTree.Parse(d);
            if (tree.Count > 0)
            {
                _seeds.Add(tree);
            }
        }

        if (_seeds.Count == 0)
        {
            throw new InvalidOperationException("no parseable netlink seed");
        }
    }

    public int SeedCount => _seeds.Count;

    /// <summary>Every seed message on its own (small starting inputs for a coverage-guided fuzzer), duplicates dropped.</summary>
    public IEnumerable<byte[]> SeedMessages()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (List<NlNode> datagram in _seeds)
        {
            foreach (NlNode message in datagram)
            {
                byte[] bytes = NetlinkTree.Serialize([message], null);
                if (seen.Add(Convert.ToHexString(bytes)))
                {
                    yield return bytes;
                }
            }
        }
    }

    public byte[] Next(ref Rng rng)
    {
        if (rng.OneIn(50))
        {
            // Plain noise now and then, with a plausible first length.
            byte[] noise = new byte[rng.Between(0, 600)];
            for (int i = 0; i < noise.Length; i++)
            {
                noise[i] = (byte)rng.Next();
            }

            if (noise.Length >= 4 && rng.OneIn(2))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(noise, (uint)rng.Between(0, noise.Length + 8));
            }

            return noise;
        }

        // A window of one to three messages of a seed datagram (most decoders work per message), or all of it.
        List<NlNode> seed = rng.Pick(_seeds);
        int count = rng.OneIn(5) ? seed.Count : Math.Min(seed.Count, rng.Small(3));
        int first = rng.Below(seed.Count - count + 1);
        var messages = new List<NlNode>(count);
        for (int i = 0; i < count; i++)
        {
            messages.Add(seed[first + i].Clone());
        }

        int structural = rng.OneIn(10) ? 0 : rng.Small(5);
        for (int i = 0; i < structural; i++)
        {
            MutateTree(messages, ref rng);
        }

        var lengths = new List<(int Offset, int Width)>();
        byte[] bytes = NetlinkTree.Serialize(messages, lengths);
        if (structural == 0 || rng.OneIn(2))
        {
            int raw = rng.Small(4);
            for (int i = 0; i < raw; i++)
            {
                bytes = MutateRaw(bytes, lengths, ref rng);
            }
        }

        return bytes;
    }

    private void MutateTree(List<NlNode> messages, ref Rng rng)
    {
        if (messages.Count == 0)
        {
            messages.Add(rng.Pick(rng.Pick(_seeds)).Clone());
        }

        var nodes = new List<NlNode>();
        foreach (NlNode m in messages)
        {
            m.Collect(nodes);
        }

        NlNode target = rng.Pick(nodes);
        switch (rng.Below(14))
        {
            case 0: // missing fields: delete an attribute or a message
                RemoveFrom(messages, nodes, target, ref rng);
                break;
            case 1: // duplicate
                InsertNear(messages, nodes, target, target.Clone(), ref rng);
                break;
            case 2: // reorder siblings
                if (ParentList(messages, nodes, target) is { Count: >= 2 } siblings)
                {
                    int a = rng.Below(siblings.Count), b = rng.Below(siblings.Count);
                    (siblings[a], siblings[b]) = (siblings[b], siblings[a]);
                }

                break;
            case 3: // nest deeper: wrap in a new attribute
                if (!target.IsMessage && ParentList(messages, nodes, target) is { } list)
                {
                    int at = list.IndexOf(target);
                    list[at] = new NlNode { Type = (ushort)(rng.Below(40) | (rng.OneIn(2) ? 0x8000 : 0)), Children = [target] };
                }

                break;
            case 4: // move into another nest (or make a leaf a nest)
                {
                    NlNode into = rng.Pick(nodes);
                    if (!target.IsMessage && into != target && !Contains(target, into))
                    {
                        RemoveFrom(messages, nodes, target, ref rng);
                        if (into.Children is null)
                        {
                            into.Children = [];
                            into.Value = null;
                        }

                        into.Children.Insert(rng.Below(into.Children.Count + 1), target);
                    }

                    break;
                }

            case 5: // type swap
                if (target.IsMessage)
                {
                    target.Type = rng.Pick(MessageTypes);
                }
                else
                {
                    target.Type = rng.Below(4) switch
                    {
                        0 => (ushort)(target.Type ^ 0x8000),
                        1 => (ushort)(target.Type ^ 0x4000),
                        2 => (ushort)rng.Below(64),
                        _ => (ushort)rng.Next(),
                    };
                }

                break;
            case 6: // message flags (capped ACK, ACK TLVs, multi, dump interrupted ...)
                {
                    NlNode m = rng.Pick(messages);
                    m.Flags = rng.OneIn(2) ? rng.Pick(FlagValues) : (ushort)(m.Flags ^ (1 << rng.Below(16)));
                    break;
                }

            case 7: // numbers at boundaries in a leaf
                target.Children = null;
                target.Value = Number(ref rng, rng.Pick(new[] { 1, 2, 4, 8, 16, 3, 5, 12 }));
                break;
            case 8: // lengths decoders treat specially (addresses 4/16, structs), random bytes
                target.Children = null;
                target.Value = RandomBytes(ref rng, rng.Pick(new[] { 0, 1, 3, 4, 5, 6, 8, 15, 16, 17, 20, 32, 33, 64, 65, 300 }));
                break;
            case 9: // strings: non-ASCII, invalid UTF-8, no NUL, embedded NUL, expression names
                target.Children = null;
                target.Value = rng.Pick(OddStrings);
                break;
            case 10: // family header / nest header: corrupt, cut short, extend
                {
                    byte[] head = target.Head;
                    if (rng.OneIn(3) || head.Length == 0)
                    {
                        target.Head = RandomBytes(ref rng, rng.Between(0, 24));
                    }
                    else if (rng.OneIn(2))
                    {
                        target.Head = head.AsSpan(0, rng.Below(head.Length)).ToArray();
                    }
                    else
                    {
                        head = (byte[])head.Clone();
                        int at = rng.Below(head.Length);
                        head[at] = (byte)rng.Pick(Boundaries);
                        target.Head = head;
                    }

                    break;
                }

            case 11: // splice: a node of another seed replaces or joins this one
                {
                    List<NlNode> other = rng.Pick(_seeds);
                    var donors = new List<NlNode>();
                    foreach (NlNode m in other)
                    {
                        m.Collect(donors);
                    }

                    NlNode donor = rng.Pick(donors).Clone();
                    if (donor.IsMessage && !target.IsMessage)
                    {
                        messages.Insert(rng.Below(messages.Count + 1), donor);
                    }
                    else if (rng.OneIn(2) && ParentList(messages, nodes, target) is { } parent)
                    {
                        parent[parent.IndexOf(target)] = donor;
                    }
                    else
                    {
                        InsertNear(messages, nodes, target, donor, ref rng);
                    }

                    break;
                }

            case 12: // many copies (long attribute lists, deep recursion of the same nest)
                {
                    if (ParentList(messages, nodes, target) is { } parent)
                    {
                        int copies = rng.Between(2, 40);
                        for (int i = 0; i < copies; i++)
                        {
                            parent.Add(target.Clone());
                        }
                    }

                    break;
                }

            default: // a byte of a leaf
                if (target.Value is { Length: > 0 } v)
                {
                    v = (byte[])v.Clone();
                    v[rng.Below(v.Length)] = rng.OneIn(2) ? (byte)rng.Next() : (byte)rng.Pick(Boundaries);
                    target.Value = v;
                }

                break;
        }
    }

    private static byte[] MutateRaw(byte[] bytes, List<(int Offset, int Width)> lengths, ref Rng rng)
    {
        switch (rng.Below(8))
        {
            case 0:
            case 1: // corrupt a length field
                if (lengths.Count > 0)
                {
                    (int offset, int width) = rng.Pick(lengths);
                    if (offset + width <= bytes.Length)
                    {
                        ulong current = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) : BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset));
                        ulong value = rng.Below(3) switch
                        {
                            0 => rng.Pick(Boundaries),
                            1 => current + (ulong)rng.Between(-8, 8),
                            _ => (ulong)(bytes.Length - offset + rng.Between(-4, 4)),
                        };
                        if (width == 4)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)value);
                        }
                        else
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)value);
                        }
                    }
                }

                return bytes;
            case 2: // truncate, often just after a structure boundary
                {
                    int cut = lengths.Count > 0 && rng.OneIn(2) ? rng.Pick(lengths).Offset + rng.Between(0, 12) : rng.Below(bytes.Length + 1);
                    return bytes.AsSpan(0, Math.Clamp(cut, 0, bytes.Length)).ToArray();
                }

            case 3: // bit flips
                {
                    int flips = rng.Small(8);
                    for (int i = 0; i < flips && bytes.Length > 0; i++)
                    {
                        bytes[rng.Below(bytes.Length)] ^= (byte)(1 << rng.Below(8));
                    }

                    return bytes;
                }

            case 4: // insert bytes
                {
                    int at = rng.Below(bytes.Length + 1);
                    byte[] extra = RandomBytes(ref rng, rng.Pick(new[] { 1, 2, 3, 4, 8, 16 }));
                    byte[] result = new byte[bytes.Length + extra.Length];
                    bytes.AsSpan(0, at).CopyTo(result);
                    extra.CopyTo(result.AsSpan(at));
                    bytes.AsSpan(at).CopyTo(result.AsSpan(at + extra.Length));
                    return result;
                }

            case 5: // delete bytes
                {
                    if (bytes.Length == 0)
                    {
                        return bytes;
                    }

                    int at = rng.Below(bytes.Length);
                    int n = Math.Min(rng.Pick(new[] { 1, 2, 3, 4, 8, 16 }), bytes.Length - at);
                    byte[] result = new byte[bytes.Length - n];
                    bytes.AsSpan(0, at).CopyTo(result);
                    bytes.AsSpan(at + n).CopyTo(result.AsSpan(at));
                    return result;
                }

            case 6: // a boundary number over an aligned word
                if (bytes.Length >= 4)
                {
                    int at = rng.Below(bytes.Length / 4) * 4;
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)rng.Pick(Boundaries));
                }

                return bytes;
            default: // an interesting byte anywhere
                if (bytes.Length > 0)
                {
                    bytes[rng.Below(bytes.Length)] = (byte)rng.Pick(Boundaries);
                }

                return bytes;
        }
    }

    private static byte[] Number(ref Rng rng, int width)
    {
        byte[] b = new byte[width];
        ulong v = rng.OneIn(4) ? rng.Next() : rng.Pick(Boundaries);
        for (int i = 0; i < width; i++)
        {
            b[i] = i < 8 ? (byte)(v >> (8 * (rng.OneIn(2) ? i : width - 1 - i))) : (byte)rng.Next();
        }

        return b;
    }

    private static byte[] RandomBytes(ref Rng rng, int n)
    {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++)
        {
            b[i] = (byte)rng.Next();
        }

        return b;
    }

    private static bool Contains(NlNode root, NlNode node)
    {
        var all = new List<NlNode>();
        root.Collect(all);
        return all.Contains(node);
    }

    private static List<NlNode>? ParentList(List<NlNode> messages, List<NlNode> nodes, NlNode target)
    {
        if (messages.Contains(target))
        {
            return messages;
        }

        foreach (NlNode n in nodes)
        {
            if (n.Children is not null && n.Children.Contains(target))
            {
                return n.Children;
            }
        }

        return null;
    }

    private static void RemoveFrom(List<NlNode> messages, List<NlNode> nodes, NlNode target, ref Rng rng)
    {
        if (ParentList(messages, nodes, target) is { } list && (list != messages || list.Count > 1 || rng.OneIn(4)))
        {
            list.Remove(target);
        }
    }

    private static void InsertNear(List<NlNode> messages, List<NlNode> nodes, NlNode target, NlNode node, ref Rng rng)
    {
        if (node.IsMessage)
        {
            messages.Insert(rng.Below(messages.Count + 1), node);
        }
        else if (ParentList(messages, nodes, target) is { } list && list != messages)
        {
            list.Insert(rng.Below(list.Count + 1), node);
        }
        else if (target.IsMessage)
        {
            target.Children ??= [];
            target.Value = null;
            target.Children.Insert(rng.Below(target.Children.Count + 1), node);
        }
    }

    /// <summary>A string of the odd kinds as UTF-8 (also used by the text mutators).</summary>
    public static string OddString(ref Rng rng) => Encoding.UTF8.GetString(rng.Pick(OddStrings));
}

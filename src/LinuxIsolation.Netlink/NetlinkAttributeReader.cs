using System;
using System.Runtime.CompilerServices;

namespace LinuxIsolation.Netlink;

/// <summary>
/// Walks a sequence of netlink attributes, checking every <c>nla_len</c> against the bytes that remain.
/// </summary>
/// <remarks>Usable with <c>foreach</c>. Malformed input throws <see cref="NetlinkDecodeException"/>.</remarks>
public ref struct NetlinkAttributeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private NetlinkAttribute _current;

    /// <summary>Reads the attributes in <paramref name="data"/>.</summary>
    public NetlinkAttributeReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        _current = default;
    }

    /// <summary>The attribute found by the last successful <see cref="MoveNext"/>.</summary>
    public readonly NetlinkAttribute Current => _current;

    /// <summary>Offset of <see cref="Current"/>'s header from the start of the attribute data.</summary>
    public int CurrentOffset { get; private set; }

    /// <summary>Returns this reader, for <c>foreach</c>.</summary>
    public readonly NetlinkAttributeReader GetEnumerator() => this;

    /// <summary>Moves to the next attribute; false at the end.</summary>
    /// <exception cref="NetlinkDecodeException">An attribute header is truncated or its length is out of bounds.</exception>
    public bool MoveNext()
    {
        int remaining = _data.Length - _offset;
        if (remaining <= 0)
        {
            return false;
        }

        if (remaining < NetlinkWriter.AttributeHeaderSize)
        {
            ThrowHelper.ThrowDecode($"Truncated netlink attribute header: {remaining} bytes at offset {_offset}.");
        }

        uint header = Unsafe.ReadUnaligned<uint>(ref Unsafe.AsRef(in _data[_offset]));
        int length = (ushort)header;
        if (length < NetlinkWriter.AttributeHeaderSize || length > remaining)
        {
            ThrowHelper.ThrowDecode($"Netlink attribute at offset {_offset} has length {length}, outside 4..{remaining}.");
        }

        _current = new NetlinkAttribute((ushort)(header >> 16), _data.Slice(_offset + NetlinkWriter.AttributeHeaderSize, length - NetlinkWriter.AttributeHeaderSize));
        CurrentOffset = _offset;
        _offset += Math.Min(NetlinkWriter.Align(length), remaining);
        return true;
    }

    /// <summary>Finds the first attribute of type <paramref name="type"/> (flag bits ignored).</summary>
    public readonly bool TryFind(ushort type, out NetlinkAttribute attribute)
    {
        var reader = new NetlinkAttributeReader(_data);
        while (reader.MoveNext())
        {
            if (reader.Current.Type == type)
            {
                attribute = reader.Current;
                return true;
            }
        }

        attribute = default;
        return false;
    }
}

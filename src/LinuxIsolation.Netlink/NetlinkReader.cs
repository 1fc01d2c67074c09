using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Native;

namespace LinuxIsolation.Netlink;

/// <summary>
/// Walks the netlink messages in a datagram, checking every length field against the data it has.
/// </summary>
/// <remarks>
/// Usable with <c>foreach</c>. Nothing is decoded until asked: a message exposes its header and payload as
/// spans into the datagram. Malformed input throws <see cref="NetlinkDecodeException"/> and nothing else.
/// </remarks>
public ref struct NetlinkReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private NetlinkMessage _current;

    /// <summary>Reads the messages in <paramref name="datagram"/>.</summary>
    public NetlinkReader(ReadOnlySpan<byte> datagram)
    {
        _data = datagram;
        _offset = 0;
        _current = default;
    }

    /// <summary>The message found by the last successful <see cref="MoveNext"/>.</summary>
    public readonly NetlinkMessage Current => _current;

    /// <summary>Returns this reader, for <c>foreach</c>.</summary>
    public readonly NetlinkReader GetEnumerator() => this;

    /// <summary>Moves to the next message; false at the end of the datagram.</summary>
    /// <exception cref="NetlinkDecodeException">A message header is truncated or its length is out of bounds.</exception>
    public bool MoveNext()
    {
        int remaining = _data.Length - _offset;
        if (remaining <= 0)
        {
            return false;
        }

        if (remaining < NetlinkWriter.MessageHeaderSize)
        {
            ThrowHelper.ThrowDecode($"Truncated netlink message header: {remaining} bytes at offset {_offset}.");
        }

        NlMsgHdr header = Unsafe.ReadUnaligned<NlMsgHdr>(ref Unsafe.AsRef(in _data[_offset]));
        if (header.nlmsg_len < NetlinkWriter.MessageHeaderSize || header.nlmsg_len > (uint)remaining)
        {
            ThrowHelper.ThrowDecode($"Netlink message at offset {_offset} has length {header.nlmsg_len}, outside 16..{remaining}.");
        }

        int length = (int)header.nlmsg_len;
        _current = new NetlinkMessage(header, _data.Slice(_offset + NetlinkWriter.MessageHeaderSize, length - NetlinkWriter.MessageHeaderSize));
        _offset += Math.Min(NetlinkWriter.Align(length), remaining);
        return true;
    }

    /// <summary>Reads the first message of <paramref name="datagram"/>.</summary>
    /// <exception cref="NetlinkDecodeException">There is no complete message.</exception>
    public static NetlinkMessage ReadSingle(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkReader(datagram);
        if (!reader.MoveNext())
        {
            ThrowHelper.ThrowDecode("Empty netlink datagram.");
        }

        return reader.Current;
    }
}

/// <summary>One netlink message: its header and a view of its payload.</summary>
public readonly ref struct NetlinkMessage
{
    private readonly NlMsgHdr _header;

    /// <summary>Wraps a header and its payload (the bytes after the 16-byte header).</summary>
    public NetlinkMessage(NlMsgHdr header, ReadOnlySpan<byte> payload)
    {
        _header = header;
        Payload = payload;
    }

    /// <summary>The message header.</summary>
    public NlMsgHdr Header => _header;

    /// <summary>The message type (<c>nlmsg_type</c>).</summary>
    public ushort Type => _header.nlmsg_type;

    /// <summary>The flags (<c>nlmsg_flags</c>).</summary>
    public NetlinkMessageFlags Flags => (NetlinkMessageFlags)_header.nlmsg_flags;

    /// <summary>The sequence number (<c>nlmsg_seq</c>).</summary>
    public uint Sequence => _header.nlmsg_seq;

    /// <summary>The sender's port id (<c>nlmsg_pid</c>); 0 for the kernel.</summary>
    public uint PortId => _header.nlmsg_pid;

    /// <summary>The bytes after the message header.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>True for <c>NLMSG_ERROR</c> (an error or an acknowledgement).</summary>
    public bool IsError => _header.nlmsg_type == NetlinkMessageType.Error;

    /// <summary>True for <c>NLMSG_DONE</c>.</summary>
    public bool IsDone => _header.nlmsg_type == NetlinkMessageType.Done;

    /// <summary>Reads the family header at the start of the payload (e.g. <c>struct ifinfomsg</c>).</summary>
    /// <exception cref="NetlinkDecodeException">The payload is shorter than <typeparamref name="T"/>.</exception>
    public T ReadHeader<T>() where T : unmanaged
    {
        if (Payload.Length < Unsafe.SizeOf<T>())
        {
            ThrowHelper.ThrowHeaderTooShort<T>(Type, Payload.Length);
        }

        return Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(Payload));
    }

    /// <summary>The attributes after a family header of <paramref name="familyHeaderSize"/> bytes (aligned to 4).</summary>
    /// <exception cref="NetlinkDecodeException">The payload is shorter than the family header.</exception>
    public NetlinkAttributeReader GetAttributes(int familyHeaderSize)
    {
        int start = NetlinkWriter.Align(familyHeaderSize);
        if (start > Payload.Length)
        {
            // The kernel may omit the padding of a header that ends the message.
            if (familyHeaderSize > Payload.Length)
            {
                ThrowHelper.ThrowDecode($"Netlink message type {Type} has a {Payload.Length}-byte payload, too short for a {familyHeaderSize}-byte family header.");
            }

            return new NetlinkAttributeReader(default);
        }

        return new NetlinkAttributeReader(Payload.Slice(start));
    }

    /// <summary>The attributes after the family header <typeparamref name="T"/>.</summary>
    public NetlinkAttributeReader GetAttributes<T>() where T : unmanaged => GetAttributes(Unsafe.SizeOf<T>());

    /// <summary>Decodes an <c>NLMSG_ERROR</c> message, extended-ACK attributes included.</summary>
    /// <exception cref="NetlinkDecodeException">This is not a well-formed error message.</exception>
    public NetlinkErrorMessage GetError()
    {
        if (!IsError)
        {
            ThrowHelper.ThrowDecode($"Netlink message type {Type} is not NLMSG_ERROR.");
        }

        return new NetlinkErrorMessage(this);
    }
}

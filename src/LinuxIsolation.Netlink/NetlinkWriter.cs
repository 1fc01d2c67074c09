using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Native;

namespace LinuxIsolation.Netlink;

/// <summary>
/// Writes netlink messages in place into a caller-supplied buffer, without allocating.
/// </summary>
/// <remarks>
/// <para>
/// A message is opened with <see cref="BeginMessage"/>, filled with a family header
/// (<see cref="WriteHeader{T}"/>) and attributes, and closed with <see cref="EndMessage"/>, which writes its
/// length. Nested attributes work the same way with <see cref="BeginNested"/> and <see cref="EndNested"/>.
/// Tokens hold offsets, not spans, and scopes must be closed in the reverse order of opening; closing one
/// out of order throws <see cref="InvalidOperationException"/>. Several messages may be written one after
/// the other into the same buffer to send them in one <c>sendmsg</c> (see <see cref="NetlinkSocket.RequestMany"/>).
/// </para>
/// <para>
/// Headers are written in host byte order, as netlink wants; attribute values are host-endian unless the
/// method says <c>BigEndian</c> (the nf_tables family, ports and protocol numbers). Every attribute is padded
/// to 4 bytes with zero bytes. When the buffer is too small the method throws
/// <see cref="NetlinkBufferTooSmallException"/> and the buffer content past <see cref="Length"/> is unspecified.
/// </para>
/// </remarks>
public ref partial struct NetlinkWriter
{
    /// <summary>Netlink messages and attributes are aligned to this many bytes (<c>NLMSG_ALIGNTO</c>, <c>NLA_ALIGNTO</c>).</summary>
    public const int Alignment = 4;

    /// <summary>Size of <c>struct nlmsghdr</c>.</summary>
    public const int MessageHeaderSize = 16;

    /// <summary>Size of <c>struct nlattr</c>.</summary>
    public const int AttributeHeaderSize = 4;

    private readonly Span<byte> _buffer;
    private int _position;
    private int _depth;

    /// <summary>Starts writing at the beginning of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">Where the messages are written. It does not need to be cleared first.</param>
    public NetlinkWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
        _depth = 0;
    }

    /// <summary>
    /// The sequence number <see cref="BeginMessage"/> writes when its own <c>sequence</c> argument is 0, so that the
    /// library's message writers (which take none) can be given one: set it before calling them when you send the
    /// bytes on a socket of your own. <see cref="NetlinkSocket"/> overwrites the sequence of what it sends either way.
    /// 0 unless set.
    /// </summary>
    public uint Sequence { readonly get; set; }

    /// <summary>
    /// Whether <see cref="BeginNested"/> sets <c>NLA_F_NESTED</c> on every nested attribute, as libmnl's
    /// <c>mnl_attr_nest_start</c> does (the kernel's strict validation wants it for some families). False unless set:
    /// the rtnetlink writers then write what iproute2 writes; the nf_tables writers set the flag themselves.
    /// </summary>
    public bool SetNestedFlag { readonly get; set; }

    /// <summary>Number of bytes written so far.</summary>
    public readonly int Length => _position;

    /// <summary>The bytes written so far.</summary>
    public readonly Span<byte> WrittenSpan => _buffer.Slice(0, _position);

    /// <summary>Number of scopes (messages and nested attributes) opened and not yet closed.</summary>
    public readonly int Depth => _depth;

    /// <summary>Rounds <paramref name="length"/> up to the netlink alignment (<c>NLMSG_ALIGN</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    /// <summary>
    /// Opens a message: writes a <c>struct nlmsghdr</c> whose length is filled in by <see cref="EndMessage"/>.
    /// </summary>
    /// <param name="type">The message type (e.g. <c>RTM_NEWLINK</c>).</param>
    /// <param name="flags">The flags; <see cref="NetlinkMessageFlags.Request"/> must be among them for requests.</param>
    /// <param name="sequence">Sequence number; <see cref="NetlinkSocket"/> overwrites it when it sends the message.</param>
    /// <param name="portId">Sender's port id; 0 lets the kernel fill in the socket's.</param>
    public NetlinkMessageToken BeginMessage(ushort type, NetlinkMessageFlags flags, uint sequence = 0, uint portId = 0)
    {
        int start = _position;
        Span<byte> header = Reserve(MessageHeaderSize);
        ref NlMsgHdr h = ref Unsafe.As<byte, NlMsgHdr>(ref MemoryMarshal.GetReference(header));
        h.nlmsg_len = 0;
        h.nlmsg_type = type;
        h.nlmsg_flags = (ushort)flags;
        h.nlmsg_seq = sequence != 0 ? sequence : Sequence;
        h.nlmsg_pid = portId;
        return new NetlinkMessageToken(start, ++_depth);
    }

    /// <summary>Closes the message opened by <paramref name="token"/> by writing its length.</summary>
    /// <exception cref="InvalidOperationException">A nested attribute or later message is still open.</exception>
    public void EndMessage(NetlinkMessageToken token)
    {
        if (token.Depth != _depth || token.Depth == 0)
        {
            ThrowHelper.ThrowScopeOrder();
        }

        _depth--;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.Slice(token.Offset), (uint)(_position - token.Offset));
    }

    /// <summary>
    /// Writes a family header (such as <see cref="Rtnetlink.Native.IfInfoMsg"/> or <see cref="NfGenMsg"/>)
    /// right after the message header, padded to 4 bytes.
    /// </summary>
    /// <typeparam name="T">A blittable mirror of the kernel's struct.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteHeader<T>(in T header) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        Span<byte> dest = Reserve(Align(size));
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(dest), header);
        dest.Slice(size).Clear();
    }

    /// <summary>
    /// Opens a nested attribute (<c>NLA_F_NESTED</c> is set only when <see cref="SetNestedFlag"/> is, or when it is
    /// passed in <paramref name="type"/>: iproute2 does not set it, libmnl does). Close it with <see cref="EndNested"/>.
    /// </summary>
    public NetlinkNestToken BeginNested(ushort type)
    {
        int start = _position;
        Span<byte> header = Reserve(AttributeHeaderSize);
        if (SetNestedFlag)
        {
            type |= NetlinkAttribute.NestedFlag;
        }

        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(header), (uint)type << 16);
        return new NetlinkNestToken(start, ++_depth);
    }

    /// <summary>Closes the nested attribute opened by <paramref name="token"/> by writing its length.</summary>
    /// <exception cref="InvalidOperationException">An inner scope is still open, or the token is not the innermost.</exception>
    /// <exception cref="NetlinkBufferTooSmallException">The nested attribute is longer than 65,535 bytes.</exception>
    public void EndNested(NetlinkNestToken token)
    {
        if (token.Depth != _depth || token.Depth == 0)
        {
            ThrowHelper.ThrowScopeOrder();
        }

        int length = _position - token.Offset;
        if (length > ushort.MaxValue)
        {
            ThrowHelper.ThrowAttributeTooLong(length);
        }

        _depth--;
        Unsafe.WriteUnaligned(ref _buffer[token.Offset], (ushort)length);
    }

    /// <summary>
    /// Reserves <paramref name="length"/> bytes and returns them for the caller to fill; the caller writes
    /// every byte (padding included).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> Reserve(int length)
    {
        int start = _position;
        if ((uint)length > (uint)(_buffer.Length - start))
        {
            ThrowHelper.ThrowBufferTooSmall(start + length, _buffer.Length);
        }

        _position = start + length;
        return _buffer.Slice(start, length);
    }

    /// <summary>Reserves room for one attribute with a payload of <paramref name="payloadLength"/> bytes, writes its header and zeroes its padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> ReserveAttribute(ushort type, int payloadLength)
    {
        int length = AttributeHeaderSize + payloadLength;
        if (length > ushort.MaxValue)
        {
            ThrowHelper.ThrowAttributeTooLong(length);
        }

        int aligned = Align(length);
        Span<byte> dest = Reserve(aligned);
        ref byte start = ref MemoryMarshal.GetReference(dest);
        Unsafe.WriteUnaligned(ref start, (uint)length | ((uint)type << 16));
        if (aligned != length)
        {
            // Zero the padding so messages are byte-identical whatever the buffer held before.
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, aligned - Alignment), 0u);
        }

        return dest.Slice(AttributeHeaderSize, payloadLength);
    }
}

/// <summary>A message opened by <see cref="NetlinkWriter.BeginMessage"/>: the offset of its header.</summary>
public readonly struct NetlinkMessageToken
{
    internal NetlinkMessageToken(int offset, int depth)
    {
        Offset = offset;
        Depth = depth;
    }

    /// <summary>Offset of the message header in the writer's buffer.</summary>
    public int Offset { get; }

    internal int Depth { get; }
}

/// <summary>A nested attribute opened by <see cref="NetlinkWriter.BeginNested"/>: the offset of its header.</summary>
public readonly struct NetlinkNestToken
{
    internal NetlinkNestToken(int offset, int depth)
    {
        Offset = offset;
        Depth = depth;
    }

    /// <summary>Offset of the attribute header in the writer's buffer.</summary>
    public int Offset { get; }

    internal int Depth { get; }
}

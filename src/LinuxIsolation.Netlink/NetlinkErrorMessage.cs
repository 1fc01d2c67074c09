using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Native;

namespace LinuxIsolation.Netlink;

/// <summary>
/// A decoded <c>NLMSG_ERROR</c> message: the errno (0 for an acknowledgement), the header of the request it
/// answers and the extended-ACK attributes (<c>NLMSGERR_ATTR_*</c>).
/// </summary>
public readonly ref struct NetlinkErrorMessage
{
    /// <summary><c>NLMSGERR_ATTR_MSG</c>: the error text.</summary>
    public const ushort AttrMessage = 1;
    /// <summary><c>NLMSGERR_ATTR_OFFS</c>: offset of the offending attribute in the request.</summary>
    public const ushort AttrOffset = 2;
    /// <summary><c>NLMSGERR_ATTR_COOKIE</c>: an arbitrary cookie.</summary>
    public const ushort AttrCookie = 3;
    /// <summary><c>NLMSGERR_ATTR_POLICY</c>: the policy of the rejected attribute.</summary>
    public const ushort AttrPolicy = 4;
    /// <summary><c>NLMSGERR_ATTR_MISS_TYPE</c>: type of a missing attribute.</summary>
    public const ushort AttrMissingType = 5;
    /// <summary><c>NLMSGERR_ATTR_MISS_NEST</c>: offset of the nest where an attribute is missing.</summary>
    public const ushort AttrMissingNest = 6;

    private const int NlMsgErrSize = 20;

    internal NetlinkErrorMessage(NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < NlMsgErrSize)
        {
            ThrowHelper.ThrowDecode($"NLMSG_ERROR payload of {payload.Length} bytes is shorter than struct nlmsgerr.");
        }

        NlMsgErr err = Unsafe.ReadUnaligned<NlMsgErr>(ref MemoryMarshal.GetReference(payload));
        Errno = err.error == int.MinValue ? int.MaxValue : -err.error;
        Request = err.msg;
        int offset = NlMsgErrSize;
        NetlinkMessageFlags flags = message.Flags;
        if ((flags & NetlinkMessageFlags.Capped) == 0 && err.msg.nlmsg_len > NetlinkWriter.MessageHeaderSize)
        {
            // Without NETLINK_CAP_ACK the request's payload is echoed after its header.
            long echoed = NetlinkWriter.Align((int)Math.Min(err.msg.nlmsg_len - NetlinkWriter.MessageHeaderSize, int.MaxValue - 8));
            offset = (int)Math.Min(offset + echoed, payload.Length);
            RequestPayload = payload.Slice(NlMsgErrSize, offset - NlMsgErrSize);
        }

        Attributes = (flags & NetlinkMessageFlags.AckTlvs) != 0 ? payload.Slice(offset) : default;
    }

    /// <summary>The positive errno, or 0 when this is an acknowledgement.</summary>
    public int Errno { get; }

    /// <summary>The header of the request this answers.</summary>
    public NlMsgHdr Request { get; }

    /// <summary>The echoed request payload; empty when the socket uses <c>NETLINK_CAP_ACK</c>.</summary>
    public ReadOnlySpan<byte> RequestPayload { get; }

    /// <summary>The raw extended-ACK attributes (empty when there are none).</summary>
    public ReadOnlySpan<byte> Attributes { get; }

    /// <summary>True when this acknowledges success.</summary>
    public bool IsAcknowledgement => Errno == 0;

    /// <summary>The kernel's message (<c>NLMSGERR_ATTR_MSG</c>), or null.</summary>
    public string? GetKernelMessage()
    {
        var reader = new NetlinkAttributeReader(Attributes);
        return reader.TryFind(AttrMessage, out NetlinkAttribute a) ? a.GetString() : null;
    }

    /// <summary>Offset of the offending attribute in the request (<c>NLMSGERR_ATTR_OFFS</c>), or null.</summary>
    public int? GetErrorOffset()
    {
        var reader = new NetlinkAttributeReader(Attributes);
        return reader.TryFind(AttrOffset, out NetlinkAttribute a) ? (int)a.GetUInt32() : null;
    }

    /// <summary>Type of the missing attribute (<c>NLMSGERR_ATTR_MISS_TYPE</c>), or null.</summary>
    public ushort? GetMissingAttributeType()
    {
        var reader = new NetlinkAttributeReader(Attributes);
        return reader.TryFind(AttrMissingType, out NetlinkAttribute a) ? (ushort)a.GetUInt32() : null;
    }

    /// <summary>
    /// Builds the exception for this error. When <paramref name="request"/> (the bytes of the request message)
    /// is given, the kernel's offset is resolved to the chain of attribute types that contains it.
    /// </summary>
    /// <param name="operation">What was being done, or null.</param>
    /// <param name="request">The request message, header included; empty if not at hand.</param>
    /// <param name="familyHeaderSize">Size of the request's family header; negative if not known.</param>
    public NetlinkException ToException(string? operation, ReadOnlySpan<byte> request = default, int familyHeaderSize = -1)
    {
        int? offset = GetErrorOffset();
        ushort[]? path = null;
        if (offset is int o && familyHeaderSize >= 0 && request.Length > 0)
        {
            path = AttributePathAt(request, familyHeaderSize, o);
        }

        return new NetlinkException(Errno, operation, GetKernelMessage(), offset, path, GetMissingAttributeType());
    }

    /// <summary>
    /// Resolves an offset in a request message (from the start of its <c>nlmsghdr</c>) to the types of the
    /// attributes that contain it, outermost first, descending into attributes that hold a valid nest. An offset at
    /// an attribute's header (what the kernel reports) gives that attribute's full path; an offset inside a value
    /// gives only the top-level attribute, the one certain to contain it.
    /// </summary>
    internal static ushort[]? AttributePathAt(ReadOnlySpan<byte> request, int familyHeaderSize, int offset)
    {
        int start = NetlinkWriter.MessageHeaderSize + NetlinkWriter.Align(familyHeaderSize);
        if (offset < start || offset >= request.Length)
        {
            return null;
        }

        Span<ushort> path = stackalloc ushort[16];
        int depth = 0;
        ReadOnlySpan<byte> data = request.Slice(start);
        int baseOffset = start;
        try
        {
            while (depth < path.Length)
            {
                var reader = new NetlinkAttributeReader(data);
                bool found = false;
                while (reader.MoveNext())
                {
                    int attrStart = baseOffset + reader.CurrentOffset;
                    int attrEnd = attrStart + NetlinkWriter.AttributeHeaderSize + reader.Current.Value.Length;
                    if (offset >= attrStart && offset < attrEnd)
                    {
                        path[depth++] = reader.Current.Type;
                        found = true;
                        // Descend into a payload that parses as attributes, or as a family header followed by
                        // attributes (VETH_INFO_PEER embeds an ifinfomsg this way).
                        ReadOnlySpan<byte> value = reader.Current.Value;
                        int skip = LooksNested(value) ? 0
                            : value.Length > NetlinkWriter.Align(familyHeaderSize) && LooksNested(value.Slice(NetlinkWriter.Align(familyHeaderSize))) ? NetlinkWriter.Align(familyHeaderSize)
                            : -1;
                        int valueStart = attrStart + NetlinkWriter.AttributeHeaderSize + Math.Max(skip, 0);
                        if (offset == attrStart)
                        {
                            return path.Slice(0, depth).ToArray();
                        }

                        if (skip < 0 || offset < valueStart)
                        {
                            found = false; // inside this attribute's header or value: no deeper level
                            break;
                        }

                        data = value.Slice(skip);
                        baseOffset = valueStart;
                        break;
                    }
                }

                if (!found)
                {
                    break;
                }
            }
        }
        catch (NetlinkDecodeException)
        {
            // The request is ours and well formed; a payload merely resembling a nest ends the descent.
        }

        // No attribute starts at the offset. The kernel's offsets point at attribute headers, so this is an offset
        // inside a value, and every level below the top one came from a value that may merely look like a nest (a u32
        // such as 0x00070004 does): only the top-level attribute is certain to contain it.
        return depth == 0 ? null : [path[0]];
    }

    private static bool LooksNested(ReadOnlySpan<byte> value)
    {
        int offset = 0;
        while (offset < value.Length)
        {
            if (value.Length - offset < NetlinkWriter.AttributeHeaderSize)
            {
                return false;
            }

            int length = value[offset] | (value[offset + 1] << 8);
            if (length < NetlinkWriter.AttributeHeaderSize || length > value.Length - offset)
            {
                return false;
            }

            offset += NetlinkWriter.Align(length);
        }

        return value.Length > 0;
    }
}

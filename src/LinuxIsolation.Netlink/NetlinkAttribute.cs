using System;
using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIsolation.Netlink;

/// <summary>One netlink attribute: its type and a view of its payload, decoded only when a getter is called.</summary>
/// <remarks>Every getter checks the payload's length and throws <see cref="NetlinkDecodeException"/> when it does not fit.</remarks>
public readonly ref struct NetlinkAttribute
{
    /// <summary>The <c>NLA_F_NESTED</c> flag bit of <c>nla_type</c>.</summary>
    public const ushort NestedFlag = 0x8000;

    /// <summary>The <c>NLA_F_NET_BYTEORDER</c> flag bit of <c>nla_type</c>.</summary>
    public const ushort NetworkByteOrderFlag = 0x4000;

    /// <summary>Mask of the type bits (<c>NLA_TYPE_MASK</c>).</summary>
    public const ushort TypeMask = 0x3FFF;

    private readonly ushort _rawType;

    /// <summary>Wraps an attribute's raw <c>nla_type</c> and its payload.</summary>
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        _rawType = rawType;
        Value = value;
    }

    /// <summary>The attribute type without the flag bits.</summary>
    public ushort Type => (ushort)(_rawType & TypeMask);

    /// <summary>The raw <c>nla_type</c>, flag bits included.</summary>
    public ushort RawType => _rawType;

    /// <summary>True when the sender set <c>NLA_F_NESTED</c>.</summary>
    public bool IsNested => (_rawType & NestedFlag) != 0;

    /// <summary>True when the sender set <c>NLA_F_NET_BYTEORDER</c>.</summary>
    public bool IsNetworkByteOrder => (_rawType & NetworkByteOrderFlag) != 0;

    /// <summary>The payload, without the attribute header or padding.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Reads an 8-bit value.</summary>
    public byte GetUInt8() => Need(sizeof(byte))[0];

    /// <summary>Reads a 16-bit value in host byte order.</summary>
    public ushort GetUInt16() => Unsafe.ReadUnaligned<ushort>(ref MemoryMarshal.GetReference(Need(sizeof(ushort))));

    /// <summary>Reads a 32-bit value in host byte order.</summary>
    public uint GetUInt32() => Unsafe.ReadUnaligned<uint>(ref MemoryMarshal.GetReference(Need(sizeof(uint))));

    /// <summary>Reads a signed 32-bit value in host byte order.</summary>
    public int GetInt32() => Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(Need(sizeof(int))));

    /// <summary>Reads a 64-bit value in host byte order.</summary>
    public ulong GetUInt64() => Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference(Need(sizeof(ulong))));

    /// <summary>Reads a 16-bit value in network byte order.</summary>
    public ushort GetUInt16BigEndian() => BinaryPrimitives.ReadUInt16BigEndian(Need(sizeof(ushort)));

    /// <summary>Reads a 32-bit value in network byte order.</summary>
    public uint GetUInt32BigEndian() => BinaryPrimitives.ReadUInt32BigEndian(Need(sizeof(uint)));

    /// <summary>Reads a 64-bit value in network byte order.</summary>
    public ulong GetUInt64BigEndian() => BinaryPrimitives.ReadUInt64BigEndian(Need(sizeof(ulong)));

    /// <summary>Reads a blittable struct from the start of the payload.</summary>
    public T GetStruct<T>() where T : unmanaged => Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(Need(Unsafe.SizeOf<T>())));

    /// <summary>The string's UTF-8 bytes up to the first NUL (or the whole payload if it has none); no allocation.</summary>
    public ReadOnlySpan<byte> GetStringBytes()
    {
        int nul = Value.IndexOf((byte)0);
        return nul < 0 ? Value : Value.Slice(0, nul);
    }

    /// <summary>Decodes the payload as a NUL-terminated UTF-8 string (allocates the string).</summary>
    public string GetString() => Encoding.UTF8.GetString(GetStringBytes());

    /// <summary>Decodes a 4- or 16-byte IP address (allocates the <see cref="IPAddress"/>).</summary>
    /// <exception cref="NetlinkDecodeException">The payload is neither 4 nor 16 bytes long.</exception>
    public IPAddress GetIPAddress()
    {
        if (Value.Length != 4 && Value.Length != 16)
        {
            ThrowHelper.ThrowDecode($"Netlink attribute {Type}: a {Value.Length}-byte payload is not an IPv4 or IPv6 address.");
        }

        return new IPAddress(Value);
    }

    /// <summary>The attributes nested in this one.</summary>
    public NetlinkAttributeReader GetNested() => new(Value);

    private ReadOnlySpan<byte> Need(int size)
    {
        if (Value.Length < size)
        {
            ThrowHelper.ThrowDecode($"Netlink attribute {Type} has a {Value.Length}-byte payload; {size} bytes needed.");
        }

        return Value;
    }
}

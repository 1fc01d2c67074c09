using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIsolation.Netlink;

public ref partial struct NetlinkWriter
{
    /// <summary>Writes an attribute with no payload (a flag, <c>NLA_FLAG</c>).</summary>
    public void WriteFlag(ushort type) => ReserveAttribute(type, 0);

    /// <summary>Writes an 8-bit attribute (<c>NLA_U8</c>).</summary>
    public void WriteUInt8(ushort type, byte value) => ReserveAttribute(type, sizeof(byte))[0] = value;

    /// <summary>Writes a 16-bit attribute in host byte order (<c>NLA_U16</c>).</summary>
    public void WriteUInt16(ushort type, ushort value) =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(ReserveAttribute(type, sizeof(ushort))), value);

    /// <summary>Writes a 32-bit attribute in host byte order (<c>NLA_U32</c>).</summary>
    public void WriteUInt32(ushort type, uint value) =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(ReserveAttribute(type, sizeof(uint))), value);

    /// <summary>Writes a signed 32-bit attribute in host byte order (<c>NLA_S32</c>).</summary>
    public void WriteInt32(ushort type, int value) =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(ReserveAttribute(type, sizeof(int))), value);

    /// <summary>Writes a 64-bit attribute in host byte order (<c>NLA_U64</c>).</summary>
    public void WriteUInt64(ushort type, ulong value) =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(ReserveAttribute(type, sizeof(ulong))), value);

    /// <summary>Writes a 16-bit attribute in network byte order (<c>NLA_BE16</c>: ports, protocol numbers).</summary>
    public void WriteUInt16BigEndian(ushort type, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(ReserveAttribute(type, sizeof(ushort)), value);

    /// <summary>Writes a 32-bit attribute in network byte order (<c>NLA_BE32</c>: nf_tables values).</summary>
    public void WriteUInt32BigEndian(ushort type, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(ReserveAttribute(type, sizeof(uint)), value);

    /// <summary>Writes a 64-bit attribute in network byte order (<c>NLA_BE64</c>: nf_tables handles).</summary>
    public void WriteUInt64BigEndian(ushort type, ulong value) =>
        BinaryPrimitives.WriteUInt64BigEndian(ReserveAttribute(type, sizeof(ulong)), value);

    /// <summary>Writes raw bytes as the attribute's payload (<c>NLA_BINARY</c>).</summary>
    public void WriteBytes(ushort type, scoped ReadOnlySpan<byte> value) =>
        value.CopyTo(ReserveAttribute(type, value.Length));

    /// <summary>Writes a blittable struct as the attribute's payload (e.g. <c>struct ifla_vf_mac</c>).</summary>
    public void WriteStruct<T>(ushort type, in T value) where T : unmanaged =>
        Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(ReserveAttribute(type, Unsafe.SizeOf<T>())), value);

    /// <summary>Writes a NUL-terminated string attribute (<c>NLA_NUL_STRING</c>) from UTF-8 bytes.</summary>
    /// <param name="type">The attribute type.</param>
    /// <param name="utf8">The string's UTF-8 bytes, without a terminator.</param>
    public void WriteString(ushort type, scoped ReadOnlySpan<byte> utf8)
    {
        Span<byte> dest = ReserveAttribute(type, utf8.Length + 1);
        utf8.CopyTo(dest);
        dest[utf8.Length] = 0;
    }

    /// <summary>Writes a NUL-terminated string attribute (<c>NLA_NUL_STRING</c>), encoded as UTF-8.</summary>
    public void WriteString(ushort type, scoped ReadOnlySpan<char> value)
    {
        int byteCount = IsAscii(value) ? value.Length : Encoding.UTF8.GetByteCount(value);
        Span<byte> dest = ReserveAttribute(type, byteCount + 1);
        if (byteCount == value.Length)
        {
            for (int i = 0; i < value.Length; i++)
            {
                dest[i] = (byte)value[i];
            }
        }
        else
        {
            Encoding.UTF8.GetBytes(value, dest);
        }

        dest[byteCount] = 0;
    }

    /// <summary>Writes a NUL-terminated string attribute (<c>NLA_NUL_STRING</c>), encoded as UTF-8.</summary>
    public void WriteString(ushort type, string value) => WriteString(type, value.AsSpan());

    /// <summary>
    /// Writes an IP address as its 4 (IPv4) or 16 (IPv6) bytes in network order, as <c>IFA_ADDRESS</c>,
    /// <c>RTA_GATEWAY</c> and <c>NDA_DST</c> carry them.
    /// </summary>
    public void WriteIPAddress(ushort type, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        int length = address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4;
        if (!address.TryWriteBytes(ReserveAttribute(type, length), out _))
        {
            ThrowHelper.ThrowBufferTooSmall(_position, _buffer.Length);
        }
    }

    private static bool IsAscii(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}

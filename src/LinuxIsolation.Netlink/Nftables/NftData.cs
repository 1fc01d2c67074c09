using System;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// A value as nf_tables carries it in registers, comparisons and set elements (<c>NFTA_DATA_VALUE</c>): at most
/// 64 bytes, compared by content. Addresses, ports and protocol numbers are big-endian (network order), as
/// the packet holds them; metadata such as <c>ct state</c> masks is in host order.
/// </summary>
public readonly struct NftData : IEquatable<NftData>
{
    /// <summary><c>NFT_DATA_VALUE_MAXLEN</c>: the largest value nf_tables accepts.</summary>
    public const int MaxLength = 64;

    /// <summary><c>IFNAMSIZ</c>: interface names are compared as 16 bytes padded with NULs.</summary>
    public const int InterfaceNameLength = 16;

    private readonly byte[]? _bytes;

    /// <summary>Wraps a copy of <paramref name="bytes"/>.</summary>
    /// <exception cref="ArgumentException">The value is longer than 64 bytes.</exception>
    public NftData(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxLength)
        {
            throw new ArgumentException($"An nf_tables value holds at most {MaxLength} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The bytes of the value.</summary>
    public ReadOnlySpan<byte> Span => _bytes;

    /// <summary>Length in bytes.</summary>
    public int Length => _bytes?.Length ?? 0;

    /// <summary>One byte (e.g. a protocol number for <c>meta l4proto</c>).</summary>
    public static NftData FromByte(byte value) => new([value]);

    /// <summary>A 16-bit big-endian value (a port).</summary>
    public static NftData FromUInt16BigEndian(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return new NftData(b);
    }

    /// <summary>A 32-bit big-endian value.</summary>
    public static NftData FromUInt32BigEndian(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return new NftData(b);
    }

    /// <summary>A 32-bit value in host order (metadata such as marks and <c>ct state</c> bits).</summary>
    public static NftData FromUInt32(uint value) => new(BitConverter.GetBytes(value));

    /// <summary>An address: 4 bytes for IPv4, 16 for IPv6, in network order.</summary>
    public static NftData FromIPAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new NftData(address.GetAddressBytes());
    }

    /// <summary>An interface name as <c>iifname</c>/<c>oifname</c> compare it: 16 bytes padded with NULs.</summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    public static NftData FromInterfaceName(string name)
    {
        Rtnetlink.InterfaceName.Validate(name, nameof(name));
        Span<byte> b = stackalloc byte[InterfaceNameLength];
        b.Clear();
        Encoding.UTF8.GetBytes(name, b);
        return new NftData(b);
    }

    /// <summary>Reads the value as a big-endian number of up to 8 bytes.</summary>
    public ulong ToUInt64BigEndian()
    {
        ulong value = 0;
        foreach (byte b in Span)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <inheritdoc/>
    public bool Equals(NftData other) => Span.SequenceEqual(other.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NftData other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    /// <summary>The bytes in lowercase hex, e.g. <c>0ac90005</c>.</summary>
    public override string ToString() => Convert.ToHexString(Span).ToLowerInvariant();

    /// <summary>Compares two values by content.</summary>
    public static bool operator ==(NftData left, NftData right) => left.Equals(right);

    /// <summary>Compares two values by content.</summary>
    public static bool operator !=(NftData left, NftData right) => !left.Equals(right);
}

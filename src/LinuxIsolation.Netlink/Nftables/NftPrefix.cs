using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Parses and checks address prefixes (<c>10.201.0.0/24</c>) before anything is sent.</summary>
internal static class NftPrefix
{
    public static (IPAddress Network, int Length) Parse(string prefix, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix, paramName);
        int slash = prefix.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? prefix : prefix[..slash];
        // IPAddress.TryParse also takes shorthand such as "10.201.0" (10.201.0.0) or "10"; a prefix spells out four parts.
        bool dottedQuad = addressText.Contains(':', StringComparison.Ordinal) || addressText.Split('.').Length == 4;
        if (!dottedQuad || !IPAddress.TryParse(addressText, out IPAddress? address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{prefix}\" is not an address prefix: \"{addressText}\" is not an IPv4 or IPv6 address.", paramName);
        }

        int full = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int length = full;
        if (slash >= 0 && (!int.TryParse(prefix.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length)))
        {
            throw new ArgumentException($"\"{prefix}\" is not an address prefix: the length after '/' is not a number.", paramName);
        }

        Validate(address, length, paramName, prefix);
        return (address, length);
    }

    /// <summary>Checks a prefix and returns its family: length 1..32 or 1..128, no host bits set.</summary>
    public static NftFamily Validate(IPAddress network, int length, string paramName, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(network, paramName);
        NftFamily family = FamilyOf(network, paramName);
        int full = family == NftFamily.IPv4 ? 32 : 128;
        text ??= $"{network}/{length}";
        if (length < 1 || length > full)
        {
            throw new ArgumentException($"\"{text}\": an {(full == 32 ? "IPv4" : "IPv6")} prefix length is 1 to {full}, not {length}.", paramName);
        }

        byte[] bytes = network.GetAddressBytes();
        byte[] mask = Mask(bytes.Length, length);
        for (int i = 0; i < bytes.Length; i++)
        {
            if ((bytes[i] & ~mask[i]) != 0)
            {
                throw new ArgumentException($"\"{text}\" has host bits set: the network of that prefix is {Network(bytes, mask)}/{length}.", paramName);
            }
        }

        return family;
    }

    public static NftFamily FamilyOf(IPAddress address, string paramName) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => NftFamily.IPv4,
        AddressFamily.InterNetworkV6 when address.IsIPv4MappedToIPv6 => throw new ArgumentException($"{address} is an IPv4-mapped IPv6 address; give the IPv4 address.", paramName),
        AddressFamily.InterNetworkV6 when address.ScopeId != 0 => throw new ArgumentException($"{address} has a scope id; nf_tables matches addresses without one.", paramName),
        AddressFamily.InterNetworkV6 => NftFamily.IPv6,
        _ => throw new ArgumentException($"{address} is not an IPv4 or IPv6 address.", paramName),
    };

    public static byte[] Mask(int bytes, int prefixLength)
    {
        byte[] mask = new byte[bytes];
        for (int i = 0; i < bytes; i++)
        {
            int bits = Math.Clamp(prefixLength - (i * 8), 0, 8);
            mask[i] = (byte)(0xFF << (8 - bits));
        }

        return mask;
    }

    private static IPAddress Network(byte[] bytes, byte[] mask)
    {
        byte[] network = new byte[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            network[i] = (byte)(bytes[i] & mask[i]);
        }

        return new IPAddress(network);
    }
}

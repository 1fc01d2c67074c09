using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Cni;

/// <summary>
/// An address with its prefix length as CNI writes it (<c>"10.22.0.5/16"</c>): unlike <see cref="IPNetwork"/>, the
/// host bits are kept. Equivalent to what <c>ip addr add 10.22.0.5/16 dev eth0</c> takes.
/// </summary>
/// <param name="Address">The address.</param>
/// <param name="PrefixLength">The prefix length, 0 to 32 (IPv4) or 0 to 128 (IPv6).</param>
public readonly record struct CniAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>The network the address is in (host bits cleared).</summary>
    public IPNetwork Network
    {
        get
        {
            byte[] bytes = Address.GetAddressBytes();
            for (int bit = PrefixLength; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }
    }

    /// <summary>Parses <c>ADDRESS/PREFIX</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="result">The address, when the text parses.</param>
    /// <returns>True when it parses (an IPv4 or IPv6 address, a prefix length within the family's width).</returns>
    public static bool TryParse(string? text, out CniAddress result)
    {
        result = default;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out IPAddress? address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            || !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix)
            || prefix > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            return false;
        }

        result = new CniAddress(address, prefix);
        return true;
    }

    /// <summary>Parses <c>ADDRESS/PREFIX</c>.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">It does not parse.</exception>
    public static CniAddress Parse(string text) =>
        TryParse(text, out CniAddress a) ? a : throw new FormatException($"\"{text}\" is not an address with a prefix length (ADDRESS/PREFIX).");

    /// <summary><c>ADDRESS/PREFIX</c>.</summary>
    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}

using System.Net;

namespace LinuxIsolation.Namespaces;

/// <summary>An address with its prefix length, as <c>ip addr add ADDRESS/PREFIX</c> takes it (e.g. 10.201.0.4/24).</summary>
/// <param name="Address">The address (IPv4 or IPv6).</param>
/// <param name="PrefixLength">0 to 32 for IPv4, 0 to 128 for IPv6.</param>
public readonly record struct VethAddress(IPAddress Address, int PrefixLength)
{
    /// <inheritdoc />
    public override string ToString() => $"{Address}/{PrefixLength}";
}

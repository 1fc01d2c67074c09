using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Accept forwarded traffic from and to a prefix (<c>ip saddr P accept</c>, <c>ip daddr P accept</c>), or through an
/// interface (<c>iifname "IF" accept</c>, <c>oifname "IF" accept</c>); give exactly one of the two.
/// Equivalent to <c>iptables -A FORWARD -s P -j ACCEPT</c> and <c>-d P</c> (or <c>-i IF</c> and <c>-o IF</c>).
/// </summary>
/// <param name="Prefix">A prefix such as <c>10.201.0.0/24</c>; null when <paramref name="Interface"/> is given.</param>
/// <param name="Interface">An interface name; null when <paramref name="Prefix"/> is given.</param>
public sealed record NatForwardAccept(string? Prefix = null, string? Interface = null)
{
    /// <summary>Accept forwarding from and to a prefix.</summary>
    public static NatForwardAccept ForPrefix(string prefix) => new(prefix, null);

    /// <summary>Accept forwarding in and out of an interface.</summary>
    public static NatForwardAccept ForInterface(string name) => new(null, name);

    internal void Validate()
    {
        if ((Prefix is null) == (Interface is null))
        {
            throw new ArgumentException("A forwarding rule names a prefix or an interface (exactly one of them).", nameof(Prefix));
        }

        if (Prefix is not null)
        {
            NftPrefix.Parse(Prefix, nameof(Prefix));
        }
        else
        {
            Rtnetlink.InterfaceName.Validate(Interface!, nameof(Interface));
        }
    }
}

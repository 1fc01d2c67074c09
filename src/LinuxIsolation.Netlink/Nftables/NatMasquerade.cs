using System;
using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Masquerade connections from a source prefix: <c>ip saddr PREFIX [oifname "IF"] masquerade</c>
/// (<c>iptables -t nat -A POSTROUTING -s PREFIX [-o IF] -j MASQUERADE</c>).
/// </summary>
/// <param name="SourcePrefix">The prefix, e.g. <c>10.201.0.0/24</c> or <c>fd00::/64</c>; no host bits set.</param>
/// <param name="OutputInterfaces">Only out of these interfaces (one rule each); null or empty for any interface.</param>
public sealed record NatMasquerade(string SourcePrefix, IReadOnlyList<string>? OutputInterfaces = null)
{
    internal void Validate()
    {
        NftPrefix.Parse(SourcePrefix, nameof(SourcePrefix));
        foreach (string name in OutputInterfaces ?? [])
        {
            Rtnetlink.InterfaceName.Validate(name, nameof(OutputInterfaces));
        }
    }
}

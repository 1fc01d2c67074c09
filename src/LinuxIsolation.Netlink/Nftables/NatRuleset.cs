using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// The NAT and forwarding rules one application wants, applied as a whole by an <see cref="INatBackend"/>: the
/// backend makes the firewall hold exactly these rules under the owner tag, replacing what it held before.
/// </summary>
/// <param name="Owner">The owner tag: the nf_tables table name, or the iptables comment. Letters, digits, '_', '-' and '.', starting with a letter, at most 32 characters.</param>
public sealed partial record NatRuleset(string Owner)
{
    /// <summary>Source prefixes to masquerade (postrouting).</summary>
    public IReadOnlyList<NatMasquerade> Masquerades { get; init; } = [];

    /// <summary>Ports to publish with DNAT (prerouting).</summary>
    public IReadOnlyList<NatPortPublish> PortPublishes { get; init; } = [];

    /// <summary>Prefixes and interfaces whose forwarded traffic is accepted (forward).</summary>
    public IReadOnlyList<NatForwardAccept> ForwardAccepts { get; init; } = [];

    /// <summary>
    /// A comment the nf_tables backend stores on the table (<c>NFTA_TABLE_USERDATA</c>, Linux 5.13+; what
    /// <c>nft add table inet OWNER { comment "TEXT"; }</c> writes and <c>nft list table</c> shows), or null for
    /// none. LinuxIsolation's owner tags use it so that a crashed owner's table can be found again; the iptables
    /// backend has no such place and ignores it.
    /// </summary>
    public string? TableComment { get; init; }

    /// <summary>Checks the owner tag: the rule named in the exception.</summary>
    internal static void ValidateOwner(string? owner, string paramName)
    {
        if (owner is null || !OwnerPattern().IsMatch(owner))
        {
            throw new ArgumentException($"The owner tag \"{owner}\" must start with a letter and hold only letters, digits, '_', '-' and '.', at most 32 characters.", paramName);
        }
    }

    internal void Validate()
    {
        ValidateOwner(Owner, nameof(Owner));
        foreach (NatMasquerade m in Masquerades ?? throw new ArgumentNullException(nameof(Masquerades)))
        {
            ArgumentNullException.ThrowIfNull(m, nameof(Masquerades));
            m.Validate();
        }

        foreach (NatPortPublish p in PortPublishes ?? throw new ArgumentNullException(nameof(PortPublishes)))
        {
            ArgumentNullException.ThrowIfNull(p, nameof(PortPublishes));
            p.Validate();
        }

        foreach (NatForwardAccept f in ForwardAccepts ?? throw new ArgumentNullException(nameof(ForwardAccepts)))
        {
            ArgumentNullException.ThrowIfNull(f, nameof(ForwardAccepts));
            f.Validate();
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.-]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OwnerPattern();
}

using System;
using System.Collections.Generic;

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

    /// <summary>The name of the DNAT base chain (nf_tables backend); <c>prerouting</c> unless set.</summary>
    public string PreroutingChain { get; init; } = "prerouting";

    /// <summary>The name of the masquerade base chain (nf_tables backend); <c>postrouting</c> unless set.</summary>
    public string PostroutingChain { get; init; } = "postrouting";

    /// <summary>The name of the forward base chain (nf_tables backend); <c>forward</c> unless set.</summary>
    public string ForwardChain { get; init; } = "forward";

    /// <summary>
    /// The policy of the forward chain (accept or drop), or null for accept. When set, the nf_tables backend makes the
    /// forward chain even with no <see cref="ForwardAccepts"/>: <c>chain forward { type filter hook forward priority
    /// filter; policy drop; }</c> alone is a firewall that forwards nothing. The iptables backend refuses it (a policy
    /// there is the whole host's FORWARD chain's).
    /// </summary>
    public NftVerdictCode? ForwardPolicy { get; init; }

    /// <summary>
    /// True (the default): the nf_tables backend replaces the owner's table, so it holds exactly this ruleset. False: it
    /// adds to it, as <c>nft add table</c>, <c>nft add chain</c> and <c>nft add rule</c> do: the table and chains are made
    /// if missing and kept if present (with their rules), and this ruleset's rules are appended. The iptables backend
    /// refuses false.
    /// </summary>
    public bool ReplaceTable { get; init; } = true;

    /// <summary>True when only the defaults of the nf_tables-only options are used (what the iptables backend can do).</summary>
    internal bool UsesOnlyPortableOptions =>
        PreroutingChain == "prerouting" && PostroutingChain == "postrouting" && ForwardChain == "forward" && ForwardPolicy is null && ReplaceTable;

    /// <summary>Checks the owner tag: the rule named in the exception.</summary>
    internal static void ValidateOwner(string? owner, string paramName)
    {
        if (!IsIdentifier(owner, 32, allowSlash: false))
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

        ValidateChainName(PreroutingChain, nameof(PreroutingChain));
        ValidateChainName(PostroutingChain, nameof(PostroutingChain));
        ValidateChainName(ForwardChain, nameof(ForwardChain));
        if (PreroutingChain == PostroutingChain || PreroutingChain == ForwardChain || PostroutingChain == ForwardChain)
        {
            throw new ArgumentException($"The chain names must differ: prerouting \"{PreroutingChain}\", postrouting \"{PostroutingChain}\", forward \"{ForwardChain}\".", nameof(ForwardChain));
        }

        if (ForwardPolicy is not (null or NftVerdictCode.Accept or NftVerdictCode.Drop))
        {
            throw new ArgumentException($"The forward policy is accept or drop, not {ForwardPolicy}.", nameof(ForwardPolicy));
        }
    }

    private static void ValidateChainName(string? name, string paramName)
    {
        // nft's own identifier rule (a letter, then letters, digits, '_', '-', '.', '/'), within NFT_CHAIN_MAXNAMELEN.
        if (!IsIdentifier(name, 255, allowSlash: true))
        {
            throw new ArgumentException($"The chain name \"{name}\" must start with a letter and hold only letters, digits, '_', '-', '.' and '/', at most 255 characters.", paramName);
        }
    }

    /// <summary>
    /// An ASCII letter, then ASCII letters, digits, '_', '-', '.' (and '/' when allowed), at most <paramref name="maxLength"/>
    /// characters. Checked by hand rather than with a regular expression: the first use of <c>Regex</c> in a process
    /// initialises its statics and the AppContext switches, which cost a fresh process more than the commit's encoding.
    /// </summary>
    private static bool IsIdentifier(string? value, int maxLength, bool allowSlash)
    {
        if (value is null || value.Length == 0 || value.Length > maxLength || !char.IsAsciiLetter(value[0]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' || (allowSlash && c == '/')))
            {
                return false;
            }
        }

        return true;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// The nf_tables NAT backend: the owner's rules live in a table of their own, named after the owner tag, with
/// up to three base chains (<c>prerouting</c>: DNAT; <c>postrouting</c>: masquerade; <c>forward</c>: accepts,
/// policy accept). <see cref="Apply"/> replaces the table in one transaction (<c>table F O</c>, <c>delete table F O</c>,
/// <c>table F O { ... }</c>, as <c>nft -f</c> would), so it is atomic and idempotent; <see cref="Teardown"/>
/// deletes the table and nothing else.
/// </summary>
/// <remarks>Needs CAP_NET_ADMIN in the namespace; NAT in an inet table needs Linux 5.2.</remarks>
public sealed class NftNatBackend : INatBackend
{
    private readonly NftablesClient _client;
    private AppliedRuleset? _last;

    /// <summary>Uses <paramref name="client"/> (and its network namespace) with tables of family <paramref name="family"/>.</summary>
    /// <param name="client">The nf_tables client.</param>
    /// <param name="family"><see cref="NftFamily.Inet"/> (IPv4 and IPv6, the default), <see cref="NftFamily.IPv4"/> or <see cref="NftFamily.IPv6"/>.</param>
    public NftNatBackend(NftablesClient client, NftFamily family = NftFamily.Inet)
    {
        ArgumentNullException.ThrowIfNull(client);
        CheckFamily(family);

        _client = client;
        Family = family;
    }

    /// <summary>The family of the owner's table.</summary>
    public NftFamily Family { get; }

    /// <summary>
    /// Replaces the owner's table with one holding exactly <paramref name="desired"/>, in one transaction.
    /// Equivalent to <c>nft -f</c> of <see cref="ToNftScript"/>'s text.
    /// </summary>
    /// <exception cref="ArgumentException">A prefix, port, interface or family in <paramref name="desired"/> is wrong (nothing was sent).</exception>
    /// <exception cref="NftTransactionException">The kernel refused; nothing changed.</exception>
    /// <remarks>
    /// Handles are not asked for (no <c>NLM_F_ECHO</c>): the table is found again by its owner name. The transaction
    /// built for the last ruleset applied is kept with a copy of that ruleset: applying an equal ruleset again (the same
    /// instance, or one holding the same values) reuses it, so such a re-apply builds nothing and allocates nothing.
    /// </remarks>
    public void Apply(NatRuleset desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        AppliedRuleset? last = _last;
        NftTransaction transaction;
        if (last is not null && AppliedRuleset.Same(desired, last.Copy))
        {
            transaction = last.Transaction;
        }
        else
        {
            transaction = BuildTransaction(desired, Family);
            _last = new AppliedRuleset(AppliedRuleset.Snapshot(desired), transaction);
        }

        _client.Commit(transaction, echo: false);
    }

    /// <summary>Deletes the owner's table; not an error when it does not exist. Equivalent to <c>nft -f</c> of <c>table F O</c> + <c>delete table F O</c>.</summary>
    /// <exception cref="ArgumentException">The owner tag is not valid.</exception>
    /// <exception cref="NftTransactionException">The kernel refused; nothing changed.</exception>
    public void Teardown(string owner)
    {
        NatRuleset.ValidateOwner(owner, nameof(owner));
        _client.Commit(new NftTransaction().AddTable(Family, owner).DeleteTable(Family, owner), echo: false);
    }

    /// <summary>The transaction <see cref="Apply"/> commits for a table of family <paramref name="family"/> (for inspection, tests and benchmarks).</summary>
    /// <exception cref="ArgumentException">Something in <paramref name="desired"/> is wrong, or does not fit the family.</exception>
    public static NftTransaction BuildTransaction(NatRuleset desired, NftFamily family)
    {
        ArgumentNullException.ThrowIfNull(desired);
        CheckFamily(family);
        desired.Validate();
        string table = desired.Owner;
        NftTable created = desired.TableComment is { } comment
            ? new NftTable(family, table) { UserData = NftTableComment.Encode(comment) }
            : new NftTable(family, table);
        NftTransaction tx;
        if (desired.ReplaceTable)
        {
            // Add-then-delete makes the delete succeed whether or not the table exists; the table is then made afresh,
            // with its comment (user data is only taken when a table is created).
            tx = new NftTransaction().AddTable(family, table).DeleteTable(family, table).AddTable(created);
        }
        else
        {
            // nft add table / add chain: made when missing, kept (with their rules) when present.
            tx = new NftTransaction().AddTable(created);
        }

        bool pre = desired.PortPublishes.Count > 0, post = desired.Masquerades.Count > 0, fwd = desired.ForwardAccepts.Count > 0 || desired.ForwardPolicy is not null;
        if (pre)
        {
            tx.AddChain(NftChain.Base(family, table, desired.PreroutingChain, NftChainType.Nat, NftChainHook.Prerouting, NftChain.PriorityDestinationNat));
        }

        if (post)
        {
            tx.AddChain(NftChain.Base(family, table, desired.PostroutingChain, NftChainType.Nat, NftChainHook.Postrouting, NftChain.PrioritySourceNat));
        }

        if (fwd)
        {
            tx.AddChain(NftChain.Base(family, table, desired.ForwardChain, NftChainType.Filter, NftChainHook.Forward, NftChain.PriorityFilter, desired.ForwardPolicy ?? NftVerdictCode.Accept));
        }

        foreach (NatPortPublish p in desired.PortPublishes)
        {
            var b = new NftRuleBuilder(family);
            if (p.HostAddress is not null)
            {
                b.DestinationAddress(p.HostAddress, p.HostAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            }

            b.DestinationPort(p.Protocol, p.HostPort).DestinationNat(p.TargetAddress, p.TargetPort);
            tx.AddRule(b.ToRule(table, desired.PreroutingChain));
        }

        foreach (NatMasquerade m in desired.Masquerades)
        {
            if (m.OutputInterfaces is not { Count: > 0 })
            {
                tx.AddRule(new NftRuleBuilder(family).SourceAddress(m.SourcePrefix).Masquerade().ToRule(table, desired.PostroutingChain));
                continue;
            }

            foreach (string name in m.OutputInterfaces)
            {
                tx.AddRule(new NftRuleBuilder(family).SourceAddress(m.SourcePrefix).OutputInterface(name).Masquerade().ToRule(table, desired.PostroutingChain));
            }
        }

        foreach (NatForwardAccept f in desired.ForwardAccepts)
        {
            if (f.Prefix is not null)
            {
                tx.AddRule(new NftRuleBuilder(family).SourceAddress(f.Prefix).Accept().ToRule(table, desired.ForwardChain));
                tx.AddRule(new NftRuleBuilder(family).DestinationAddress(f.Prefix).Accept().ToRule(table, desired.ForwardChain));
            }
            else
            {
                tx.AddRule(new NftRuleBuilder(family).InputInterface(f.Interface!).Accept().ToRule(table, desired.ForwardChain));
                tx.AddRule(new NftRuleBuilder(family).OutputInterface(f.Interface!).Accept().ToRule(table, desired.ForwardChain));
            }
        }

        return tx;
    }

    /// <summary>The same ruleset as <c>nft -f</c> input: what <see cref="Apply"/> installs in a table of family <paramref name="family"/>, as text.</summary>
    /// <exception cref="ArgumentException">Something in <paramref name="desired"/> is wrong, or does not fit the family.</exception>
    public static string ToNftScript(NatRuleset desired, NftFamily family)
    {
        ArgumentNullException.ThrowIfNull(desired);
        CheckFamily(family);
        BuildTransaction(desired, family);
        string t = $"{NftWire.FamilyName(family)} {desired.Owner}";
        var sb = new StringBuilder();
        if (desired.ReplaceTable)
        {
            sb.Append(CultureInfo.InvariantCulture, $"table {t}\ndelete table {t}\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"table {t} {{\n");
        if (desired.PortPublishes.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\tchain {desired.PreroutingChain} {{\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n");
            foreach (NatPortPublish p in desired.PortPublishes)
            {
                bool v4 = p.TargetAddress.AddressFamily == AddressFamily.InterNetwork;
                string ip = v4 ? "ip" : "ip6";
                string proto = p.Protocol == ProtocolType.Tcp ? "tcp" : "udp";
                string host = p.HostAddress is null ? string.Empty : $"{ip} daddr {p.HostAddress} ";
                string target = v4 ? $"{p.TargetAddress}:{p.TargetPort}" : $"[{p.TargetAddress}]:{p.TargetPort}";
                string dnat = family == NftFamily.Inet ? $"dnat {ip} to" : "dnat to";
                sb.Append(CultureInfo.InvariantCulture, $"\t\t{host}{proto} dport {p.HostPort} {dnat} {target}\n");
            }

            sb.Append("\t}\n");
        }

        if (desired.Masquerades.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\tchain {desired.PostroutingChain} {{\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
            foreach (NatMasquerade m in desired.Masquerades)
            {
                string match = $"{IpKeyword(m.SourcePrefix)} saddr {m.SourcePrefix}";
                if (m.OutputInterfaces is not { Count: > 0 })
                {
                    sb.Append(CultureInfo.InvariantCulture, $"\t\t{match} masquerade\n");
                    continue;
                }

                foreach (string name in m.OutputInterfaces)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"\t\t{match} oifname \"{name}\" masquerade\n");
                }
            }

            sb.Append("\t}\n");
        }

        if (desired.ForwardAccepts.Count > 0 || desired.ForwardPolicy is not null)
        {
            string policy = desired.ForwardPolicy == NftVerdictCode.Drop ? "drop" : "accept";
            sb.Append(CultureInfo.InvariantCulture, $"\tchain {desired.ForwardChain} {{\n\t\ttype filter hook forward priority filter; policy {policy};\n");
            foreach (NatForwardAccept f in desired.ForwardAccepts)
            {
                if (f.Prefix is not null)
                {
                    string ip = IpKeyword(f.Prefix);
                    sb.Append(CultureInfo.InvariantCulture, $"\t\t{ip} saddr {f.Prefix} accept\n\t\t{ip} daddr {f.Prefix} accept\n");
                }
                else
                {
                    sb.Append(CultureInfo.InvariantCulture, $"\t\tiifname \"{f.Interface}\" accept\n\t\toifname \"{f.Interface}\" accept\n");
                }
            }

            sb.Append("\t}\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static void CheckFamily(NftFamily family)
    {
        if (family is not (NftFamily.Inet or NftFamily.IPv4 or NftFamily.IPv6))
        {
            throw new ArgumentException($"The NAT table's family is inet, ip or ip6, not {family}.", nameof(family));
        }
    }

    private static string IpKeyword(string prefix) => prefix.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";

    /// <summary>
    /// A copy of the last ruleset applied (its lists and addresses copied, so a caller changing the lists it passed
    /// in is noticed) and the transaction built for it; replaced as a whole, so concurrent applies see one or the other.
    /// </summary>
    private sealed class AppliedRuleset(NatRuleset copy, NftTransaction transaction)
    {
        public NatRuleset Copy { get; } = copy;

        public NftTransaction Transaction { get; } = transaction;

        public static NatRuleset Snapshot(NatRuleset r)
        {
            var masquerades = new NatMasquerade[r.Masquerades.Count];
            for (int i = 0; i < masquerades.Length; i++)
            {
                NatMasquerade m = r.Masquerades[i];
                masquerades[i] = new NatMasquerade(m.SourcePrefix, m.OutputInterfaces is null ? null : [.. m.OutputInterfaces]);
            }

            var publishes = new NatPortPublish[r.PortPublishes.Count];
            for (int i = 0; i < publishes.Length; i++)
            {
                NatPortPublish p = r.PortPublishes[i];
                publishes[i] = p with { TargetAddress = Copy(p.TargetAddress)!, HostAddress = Copy(p.HostAddress) };
            }

            var accepts = new NatForwardAccept[r.ForwardAccepts.Count];
            for (int i = 0; i < accepts.Length; i++)
            {
                accepts[i] = r.ForwardAccepts[i];
            }

            return r with { Masquerades = masquerades, PortPublishes = publishes, ForwardAccepts = accepts };

            static System.Net.IPAddress? Copy(System.Net.IPAddress? a) =>
                a is null ? null : a.AddressFamily == AddressFamily.InterNetworkV6 ? new System.Net.IPAddress(a.GetAddressBytes(), a.ScopeId) : new System.Net.IPAddress(a.GetAddressBytes());
        }

        /// <summary>True when <paramref name="r"/> holds the same values as the copy <paramref name="c"/>; allocates nothing.</summary>
        public static bool Same(NatRuleset r, NatRuleset c)
        {
            if (r.Owner != c.Owner || r.TableComment != c.TableComment || r.PreroutingChain != c.PreroutingChain
                || r.PostroutingChain != c.PostroutingChain || r.ForwardChain != c.ForwardChain || r.ForwardPolicy != c.ForwardPolicy
                || r.ReplaceTable != c.ReplaceTable || r.Masquerades is null || r.PortPublishes is null || r.ForwardAccepts is null
                || r.Masquerades.Count != c.Masquerades.Count || r.PortPublishes.Count != c.PortPublishes.Count
                || r.ForwardAccepts.Count != c.ForwardAccepts.Count)
            {
                return false;
            }

            for (int i = 0; i < c.Masquerades.Count; i++)
            {
                NatMasquerade m = r.Masquerades[i], n = c.Masquerades[i];
                if (m is null || m.SourcePrefix != n.SourcePrefix || !SameNames(m.OutputInterfaces, n.OutputInterfaces))
                {
                    return false;
                }
            }

            for (int i = 0; i < c.PortPublishes.Count; i++)
            {
                // A record: protocol, ports and addresses compared by value.
                if (!c.PortPublishes[i].Equals(r.PortPublishes[i]))
                {
                    return false;
                }
            }

            for (int i = 0; i < c.ForwardAccepts.Count; i++)
            {
                if (!c.ForwardAccepts[i].Equals(r.ForwardAccepts[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameNames(IReadOnlyList<string>? a, IReadOnlyList<string>? b)
        {
            if (a is null || b is null)
            {
                return a is null && b is null;
            }

            if (a.Count != b.Count)
            {
                return false;
            }

            for (int i = 0; i < a.Count; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}

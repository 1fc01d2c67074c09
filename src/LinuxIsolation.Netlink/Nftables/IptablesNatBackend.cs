using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// The iptables NAT backend, for hosts whose firewall is managed with iptables: the owner's rules are ordinary
/// iptables rules in the built-in chains (<c>nat PREROUTING</c>, <c>nat POSTROUTING</c>, <c>filter FORWARD</c>), each
/// tagged <c>-m comment --comment "lxi:OWNER"</c>, installed with <c>iptables-restore --noflush</c> (and
/// <c>ip6tables-restore</c> for IPv6). Teardown deletes exactly the rules carrying the tag.
/// </summary>
/// <remarks>
/// <para>This is the one place the library starts a program. Each table (<c>*nat</c>, <c>*filter</c>) of each family
/// is committed atomically by its own <c>iptables-restore</c>: the owner's old rules are deleted and the new ones
/// appended in the same commit. When a later commit fails, the earlier ones are undone, so a failed
/// <see cref="Apply"/> leaves the owner's rules as they were (see <see cref="IptablesException.LeftApplied"/>).</para>
/// <para>The programs run in the network namespace the <see cref="IptablesRunner"/> gives them; the default,
/// <see cref="RunInCurrentNamespace"/>, uses the calling process's. Needs CAP_NET_ADMIN (and CAP_NET_RAW for legacy).</para>
/// </remarks>
public sealed class IptablesNatBackend : INatBackend
{
    private readonly IptablesRunner _runner;

    /// <summary>Uses the given iptables variant, or detects it from <c>iptables-restore --version</c> when null.</summary>
    /// <param name="variant">Legacy or nft; null to detect.</param>
    /// <param name="runner">Runs the programs; null for <see cref="RunInCurrentNamespace"/>.</param>
    /// <exception cref="IptablesException">Detection failed.</exception>
    public IptablesNatBackend(IptablesVariant? variant = null, IptablesRunner? runner = null)
    {
        _runner = runner ?? RunInCurrentNamespace;
        Variant = variant ?? Detect(_runner);
    }

    /// <summary>The variant in use.</summary>
    public IptablesVariant Variant { get; }

    /// <summary>The comment that tags the owner's rules: <c>lxi:OWNER</c>.</summary>
    public static string Tag(string owner)
    {
        NatRuleset.ValidateOwner(owner, nameof(owner));
        return "lxi:" + owner;
    }

    /// <summary>Asks <c>iptables-restore --version</c> which variant the host's default iptables is.</summary>
    /// <exception cref="IptablesException">The program failed or its answer names neither variant.</exception>
    public static IptablesVariant Detect(IptablesRunner? runner = null)
    {
        runner ??= RunInCurrentNamespace;
        IptablesCommandResult result = runner("iptables-restore", ["--version"], null);
        string text = result.StandardOutput + result.StandardError;
        if (result.ExitCode == 0 && text.Contains("(legacy)", StringComparison.Ordinal))
        {
            return IptablesVariant.Legacy;
        }

        if (result.ExitCode == 0 && text.Contains("(nf_tables)", StringComparison.Ordinal))
        {
            return IptablesVariant.Nft;
        }

        throw new IptablesException("iptables-restore --version", result with { StandardError = $"cannot tell the variant from: {text.Trim()}" }, null);
    }

    /// <summary>
    /// Replaces the owner's rules with those of <paramref name="desired"/>. Equivalent to <c>iptables-save</c>, then
    /// <c>iptables-restore --noflush</c> of <c>-D</c> lines for the owner's rules and <c>-A</c> lines for the new ones.
    /// </summary>
    /// <remarks>
    /// Each table of each family (IPv4 nat, IPv4 filter, IPv6 nat, IPv6 filter) is its own commit. When one fails,
    /// the commits made before it are undone (the owner's earlier rules are put back, at the end of their chains) and
    /// the <see cref="IptablesException"/> says so; <see cref="IptablesException.LeftApplied"/> names any commit whose
    /// undo failed too.
    /// </remarks>
    /// <exception cref="ArgumentException">Something in <paramref name="desired"/> is wrong (nothing was run).</exception>
    /// <exception cref="IptablesException">A program failed.</exception>
    public void Apply(NatRuleset desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        desired.Validate();
        RefuseNftOnlyOptions(desired);
        Replace(desired);
    }

    /// <summary>Deletes every rule tagged for <paramref name="owner"/>, IPv4 and IPv6; nothing else. Not an error when there are none.</summary>
    /// <remarks>As with <see cref="Apply"/>, a failed commit undoes the ones before it.</remarks>
    /// <exception cref="IptablesException">A program failed.</exception>
    public void Teardown(string owner)
    {
        NatRuleset.ValidateOwner(owner, nameof(owner));
        Replace(new NatRuleset(owner));
    }

    /// <summary>Refuses what only the nf_tables backend can do: chains of its own names, a forward policy, adding without replacing.</summary>
    private static void RefuseNftOnlyOptions(NatRuleset desired)
    {
        if (!desired.UsesOnlyPortableOptions)
        {
            throw new ArgumentException(
                "The iptables backend uses the built-in chains and replaces the owner's rules: chain names, ForwardPolicy and ReplaceTable = false are for the nf_tables backend.",
                nameof(desired));
        }
    }

    /// <summary>Saves both families, then commits table by table, undoing the earlier commits when one fails.</summary>
    private void Replace(NatRuleset desired)
    {
        var commits = new List<(string Program, string Table, string Input)>();
        foreach (bool ipv6 in new[] { false, true })
        {
            string save = Run(Program(ipv6, "save"), [], null);
            string? input = BuildRestoreInput(desired, ipv6, save);
            if (input is not null)
            {
                foreach ((string table, string section) in Sections(input))
                {
                    commits.Add((Program(ipv6, "restore"), table, section));
                }
            }
        }

        for (int i = 0; i < commits.Count; i++)
        {
            IptablesCommandResult result = _runner(commits[i].Program, ["--noflush"], commits[i].Input);
            if (result.ExitCode == 0)
            {
                continue;
            }

            var undone = new List<string>();
            var leftApplied = new List<string>();
            for (int j = i - 1; j >= 0; j--)
            {
                string what = $"{commits[j].Program} *{commits[j].Table}";
                string? why;
                try
                {
                    IptablesCommandResult undo = _runner(commits[j].Program, ["--noflush"], Inverse(commits[j].Input));
                    why = undo.ExitCode == 0 ? null : undo.StandardError.Trim();
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or System.IO.IOException)
                {
                    why = e.Message; // the program could not be run at all
                }

                if (why is null)
                {
                    undone.Add(what);
                }
                else
                {
                    leftApplied.Add($"{what} (undo failed: {why})");
                }
            }

            throw new IptablesException(commits[i].Program, result, commits[i].Input, undone, leftApplied);
        }
    }

    /// <summary>Splits a restore input into its table sections, each ending with its <c>COMMIT</c>.</summary>
    private static List<(string Table, string Section)> Sections(string input)
    {
        var sections = new List<(string, string)>();
        int start = 0;
        while (start < input.Length)
        {
            int end = input.IndexOf("COMMIT\n", start, StringComparison.Ordinal) + "COMMIT\n".Length;
            string section = input[start..end];
            sections.Add((section[1..section.IndexOf('\n', StringComparison.Ordinal)], section));
            start = end;
        }

        return sections;
    }

    /// <summary>The section that undoes <paramref name="section"/>: its appended rules deleted, its deleted rules appended again.</summary>
    private static string Inverse(string section)
    {
        var header = new StringBuilder();
        var added = new StringBuilder();
        var deleted = new StringBuilder();
        foreach (string line in section.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                added.Append("-D ").Append(line, 3, line.Length - 3).Append('\n');
            }
            else if (line.StartsWith("-D ", StringComparison.Ordinal))
            {
                deleted.Append("-A ").Append(line, 3, line.Length - 3).Append('\n');
            }
            else if (line.StartsWith('*'))
            {
                header.Append(line).Append('\n');
            }
        }

        return header.Append(added).Append(deleted).Append("COMMIT\n").ToString();
    }

    /// <summary>
    /// The <c>iptables-restore --noflush</c> input that turns the rules in <paramref name="currentSave"/> (an
    /// <c>iptables-save</c> output) into <paramref name="desired"/> for the owner; null when there is nothing to do.
    /// </summary>
    /// <exception cref="ArgumentException">Something in <paramref name="desired"/> is wrong.</exception>
    public static string? BuildRestoreInput(NatRuleset desired, bool ipv6, string currentSave)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(currentSave);
        desired.Validate();
        RefuseNftOnlyOptions(desired);
        string comment = $"-m comment --comment \"{Tag(desired.Owner)}\"";
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["nat"] = [], ["filter"] = [] };

        // Delete the owner's current rules, exactly as iptables-save prints them.
        string? table = null;
        foreach (string raw in currentSave.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (table is not null && tables.TryGetValue(table, out List<string>? owned) && line.StartsWith("-A ", StringComparison.Ordinal) &&
                (line.EndsWith(comment, StringComparison.Ordinal) || line.Contains(comment + " ", StringComparison.Ordinal)))
            {
                owned.Add("-D " + line[3..]);
            }
        }

        foreach (NatPortPublish p in desired.PortPublishes)
        {
            if ((p.TargetAddress.AddressFamily == AddressFamily.InterNetworkV6) != ipv6)
            {
                continue;
            }

            string proto = p.Protocol == ProtocolType.Tcp ? "tcp" : "udp";
            string host = p.HostAddress is null ? string.Empty : $"-d {p.HostAddress}/{(ipv6 ? 128 : 32)} ";
            string target = ipv6 ? $"[{p.TargetAddress}]:{p.TargetPort}" : $"{p.TargetAddress}:{p.TargetPort}";
            tables["nat"].Add(string.Create(CultureInfo.InvariantCulture, $"-A PREROUTING {host}-p {proto} -m {proto} --dport {p.HostPort} {comment} -j DNAT --to-destination {target}"));
        }

        foreach (NatMasquerade m in desired.Masquerades)
        {
            if (IsIPv6(m.SourcePrefix) != ipv6)
            {
                continue;
            }

            string source = Normalise(m.SourcePrefix);
            if (m.OutputInterfaces is not { Count: > 0 })
            {
                tables["nat"].Add($"-A POSTROUTING -s {source} {comment} -j MASQUERADE");
                continue;
            }

            foreach (string name in m.OutputInterfaces)
            {
                tables["nat"].Add($"-A POSTROUTING -s {source} -o {name} {comment} -j MASQUERADE");
            }
        }

        foreach (NatForwardAccept f in desired.ForwardAccepts)
        {
            if (f.Prefix is not null)
            {
                if (IsIPv6(f.Prefix) == ipv6)
                {
                    string prefix = Normalise(f.Prefix);
                    tables["filter"].Add($"-A FORWARD -s {prefix} {comment} -j ACCEPT");
                    tables["filter"].Add($"-A FORWARD -d {prefix} {comment} -j ACCEPT");
                }
            }
            else
            {
                tables["filter"].Add($"-A FORWARD -i {f.Interface} {comment} -j ACCEPT");
                tables["filter"].Add($"-A FORWARD -o {f.Interface} {comment} -j ACCEPT");
            }
        }

        var sb = new StringBuilder();
        foreach (string name in new[] { "nat", "filter" })
        {
            List<string> lines = tables[name];
            if (lines.Count == 0)
            {
                continue;
            }

            sb.Append('*').Append(name).Append('\n');
            foreach (string line in lines)
            {
                sb.Append(line).Append('\n');
            }

            sb.Append("COMMIT\n");
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Runs an iptables program in the calling process's network namespace, with <see cref="Process"/>.</summary>
    public static IptablesCommandResult RunInCurrentNamespace(string program, IReadOnlyList<string> arguments, string? standardInput)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new IptablesCommandResult(process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    private string Program(bool ipv6, string verb) =>
        $"{(ipv6 ? "ip6tables" : "iptables")}-{(Variant == IptablesVariant.Legacy ? "legacy" : "nft")}-{verb}";

    private string Run(string program, IReadOnlyList<string> arguments, string? input)
    {
        IptablesCommandResult result = _runner(program, arguments, input);
        if (result.ExitCode != 0)
        {
            throw new IptablesException(program, result, input);
        }

        return result.StandardOutput;
    }

    private static bool IsIPv6(string prefix) => prefix.Contains(':', StringComparison.Ordinal);

    /// <summary>iptables-save prints a single address as /32 (/128); write it that way so deletion matches.</summary>
    private static string Normalise(string prefix)
    {
        (IPAddress network, int length) = NftPrefix.Parse(prefix, nameof(prefix));
        return string.Create(CultureInfo.InvariantCulture, $"{network}/{length}");
    }
}

using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// The iptables backend's reading of <c>iptables-save</c> output: <see cref="IptablesNatBackend.BuildRestoreInput"/>
/// for IPv4 and IPv6 with a fixed, valid ruleset of owner "app". Documented: nothing is thrown for any save text
/// (only an invalid ruleset is an <see cref="ArgumentException"/>). Property checked as well: every rule the
/// result deletes (<c>-D ...</c>) is a rule of the save text (<c>-A ...</c>) carrying the owner's comment.
/// </summary>
internal sealed class IptablesFamily : Family
{
    private static readonly NatRuleset Desired = new("app")
    {
        Masquerades = [new NatMasquerade("10.9.0.0/24"), new NatMasquerade("fd00:9::/64")],
        PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("10.9.0.2"), 80)],
    };

    private readonly TextMutator _mutator;
    private long _sink;

    public IptablesFamily(IReadOnlyList<string> seeds) => _mutator = new TextMutator(seeds);

    public override string Name => "iptables";

    public override string Decoders => "IptablesNatBackend.BuildRestoreInput (iptables-save / ip6tables-save text: tables, chains, the owner's rules to delete)";

    public override string DocumentedException => "none for the save text (ArgumentException only for an invalid ruleset)";

    public override int SeedCount => _mutator.SeedCount;

    public override IEnumerable<byte[]> SeedInputs() => _mutator.SeedTexts();

    public override byte[] NextInput(ref Rng rng) => _mutator.Next(ref rng);

    protected override void Decode(byte[] input)
    {
        string save = AsText(input);
        foreach (bool ipv6 in new[] { false, true })
        {
            string? restore = IptablesNatBackend.BuildRestoreInput(Desired, ipv6, save);
            if (restore is null)
            {
                continue;
            }

            _sink += restore.Length;
            foreach (string line in restore.Split('\n'))
            {
                if (line.StartsWith("-D ", StringComparison.Ordinal)
                    && (!line.Contains("--comment \"lxi:app\"", StringComparison.Ordinal) || !save.Contains("-A " + line[3..], StringComparison.Ordinal)))
                {
                    throw new InvalidOperationException($"the restore input deletes a rule that is not the owner's rule of the save text: {line}");
                }
            }
        }
    }
}

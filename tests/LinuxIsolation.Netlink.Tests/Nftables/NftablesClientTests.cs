using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>Privileged: the nf_tables client against the kernel, each test in its own network namespace, checked with nft.</summary>
public class NftablesClientTests
{
    private static NftablesClient OpenIn(TestNetworkNamespace ns) => ns.Inside(() => NftablesClient.Open());

    /// <summary>Loads <paramref name="script"/> with <c>nft -f</c> inside the namespace.</summary>
    internal static void NftLoad(TestNetworkNamespace ns, string script)
    {
        string path = Path.Combine(Path.GetTempPath(), $"lxi-nft-{Environment.ProcessId}-{Guid.NewGuid():N}.nft");
        File.WriteAllText(path, script);
        try
        {
            ns.Exec($"nft -f {path}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TablesChainsRulesAndSetsAreCreatedListedAndDeleted()
    {
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = OpenIn(ns);
        const NftFamily inet = NftFamily.Inet;
        NftCommitResult result = client.Commit(new NftTransaction()
            .AddTable(inet, "t")
            .AddChain(NftChain.Base(inet, "t", "input", NftChainType.Filter, NftChainHook.Input, 0, NftVerdictCode.Accept))
            .AddChain(NftChain.Regular(inet, "t", "sub"))
            .AddSet(new NftSet(inet, "t", "allowed", NftDataType.IPv4Address, 4))
            .AddElements(inet, "t", "allowed", [new NftSetElement(NftData.FromIPAddress(IPAddress.Parse("10.9.0.1")))])
            .AddRule(new NftRuleBuilder(inet).SourceAddressInSet("allowed", NftFamily.IPv4).Jump("sub").ToRule("t", "input"))
            .AddRule(new NftRuleBuilder(inet).DestinationPort(ProtocolType.Tcp, 22).Counter().Accept().ToRule("t", "input"))
            .AddRule(new NftRuleBuilder(inet).Return().ToRule("t", "sub")));

        // Handles come back through NLM_F_ECHO.
        Assert.Equal(3, result.Rules.Count);
        Assert.All(result.Rules, r => Assert.NotNull(r.Handle));
        Assert.NotNull(result.Handles[0]);
        Assert.Equal(result.Rules[0].Handle, result.Handles[5]);

        Assert.Contains(client.ListTables(), t => t.Family == inet && t.Name == "t");
        Assert.Equal(new NftTable(inet, "t"), client.GetTable(inet, "t")! with { Handle = null, Use = null });
        Assert.Null(client.GetTable(inet, "nosuch"));
        IReadOnlyList<NftChain> chains = client.ListChains(inet, "t");
        Assert.Equal(["input", "sub"], chains.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
        NftChain input = chains.Single(c => c.Name == "input");
        Assert.Equal((NftChainType.Filter, NftChainHook.Input, 0, NftVerdictCode.Accept), (input.Type!.Value, input.Hook!.Value, input.Priority!.Value, input.Policy!.Value));
        Assert.Null(chains.Single(c => c.Name == "sub").Hook);

        IReadOnlyList<NftRule> rules = client.ListRules(inet, "t", "input");
        Assert.Equal(result.Rules.Take(2).Select(r => r.Handle), rules.Select(r => r.Handle));
        Assert.Equal(result.Rules[0].Expressions, rules[0].Expressions);
        Assert.Equal(NftVerdict.JumpTo("sub"), rules[0].Expressions.OfType<NftVerdictExpression>().Single().Verdict);
        Assert.Single(client.ListSets(inet, "t"));
        Assert.Equal([NftData.FromIPAddress(IPAddress.Parse("10.9.0.1"))], client.ListElements(inet, "t", "allowed").Select(e => e.Key));

        string listed = ns.Exec("nft list table inet t");
        Assert.Contains("ip saddr @allowed jump sub", listed, StringComparison.Ordinal);
        Assert.Contains("tcp dport 22 counter packets 0 bytes 0 accept", listed, StringComparison.Ordinal);

        // Delete a rule by handle, a set element, then the whole table.
        client.Commit(new NftTransaction()
            .DeleteRule(inet, "t", "input", rules[1].Handle!.Value)
            .DeleteElements(inet, "t", "allowed", [new NftSetElement(NftData.FromIPAddress(IPAddress.Parse("10.9.0.1")))]));
        Assert.Single(client.ListRules(inet, "t", "input"));
        Assert.Empty(client.ListElements(inet, "t", "allowed"));
        client.Commit(new NftTransaction().DeleteTable(inet, "t"));
        Assert.Null(client.GetTable(inet, "t"));
        Assert.Equal(string.Empty, ns.Exec("nft list ruleset").Trim());
    }

    [Fact]
    public void RulesAreInsertedReplacedAndDeletedByHandle()
    {
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = OpenIn(ns);
        const NftFamily ip = NftFamily.IPv4;
        NftCommitResult made = client.Commit(new NftTransaction()
            .AddTable(ip, "t")
            .AddChain(NftChain.Regular(ip, "t", "c"))
            .AddRule(new NftRuleBuilder(ip).DestinationPort(ProtocolType.Tcp, 1).Accept().ToRule("t", "c"))
            .AddRule(new NftRuleBuilder(ip).DestinationPort(ProtocolType.Tcp, 3).Accept().ToRule("t", "c")));
        ulong first = made.Rules[0].Handle!.Value, last = made.Rules[1].Handle!.Value;

        NftCommitResult changed = client.Commit(new NftTransaction()
            .AddRule(new NftRuleBuilder(ip).DestinationPort(ProtocolType.Tcp, 2).Accept().ToRule("t", "c"), afterHandle: first)
            .InsertRule(new NftRuleBuilder(ip).DestinationPort(ProtocolType.Tcp, 0 + 9).Drop().ToRule("t", "c"))
            .ReplaceRule(new NftRuleBuilder(ip).DestinationPort(ProtocolType.Udp, 3).Accept().ToRule("t", "c"), last));
        Assert.Equal(3, changed.Rules.Count);

        string[] lines = ns.Exec("nft list chain ip t c").Split('\n').Select(l => l.Trim()).Where(l => l.Contains("dport", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["tcp dport 9 drop", "tcp dport 1 accept", "tcp dport 2 accept", "udp dport 3 accept"], lines);

        client.Commit(new NftTransaction().DeleteRule(ip, "t", "c", first));
        Assert.Equal(3, client.ListRules(ip, "t", "c").Count);
        Assert.DoesNotContain(client.ListRules(ip, "t", "c"), r => r.Handle == first);
    }

    [Fact]
    public void TransactionWithOneInvalidRuleChangesNothingAndNamesTheRule()
    {
        using var ns = TestNetworkNamespace.Create();
        NftLoad(ns, "table ip keep {\n\tchain c {\n\t\ttcp dport 1 accept\n\t}\n}\n");
        using NftablesClient client = OpenIn(ns);
        string before = ns.Exec("nft list ruleset");
        uint generation = client.GetGeneration();

        // Operation 3 jumps to a chain that does not exist: the kernel refuses it, and the table and good
        // rule before it must not appear either.
        NftTransaction tx = new NftTransaction()
            .AddTable(NftFamily.IPv4, "new")
            .AddChain(NftChain.Regular(NftFamily.IPv4, "new", "c"))
            .AddRule(new NftRuleBuilder(NftFamily.IPv4).DestinationPort(ProtocolType.Tcp, 2).Accept().ToRule("new", "c"))
            .AddRule(new NftRuleBuilder(NftFamily.IPv4).DestinationPort(ProtocolType.Tcp, 3).Jump("missing").ToRule("new", "c"))
            .AddRule(new NftRuleBuilder(NftFamily.IPv4).DestinationPort(ProtocolType.Tcp, 4).Accept().ToRule("keep", "c"));
        NftTransactionException e = Assert.Throws<NftTransactionException>(() => client.Commit(tx));

        Assert.Equal(3, e.OperationIndex);
        Assert.Same(tx.Operations[3].Rule, e.Operation!.Rule);
        Assert.Equal(Errno.ENOENT, e.NativeErrorCode);
        Assert.Equal("ENOENT", e.Error.ErrorName);
        Assert.Contains("add rule ip new c", e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Error.Message, e.Message, StringComparison.Ordinal);
        // The kernel points at the offending attribute: NFTA_RULE_EXPRESSIONS (4), its list element (1).
        Assert.Equal(new ushort[] { 4, 1 }, e.Error.AttributePath);
        Assert.Contains("[attribute 4/1]", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, ns.Exec("nft list ruleset"));
        Assert.Equal(generation, client.GetGeneration());
    }

    [Fact]
    public void ExpressionTheChainCannotHoldIsRefusedAndNamed()
    {
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = OpenIn(ns);
        // masquerade in a filter chain: the kernel refuses with EOPNOTSUPP.
        NftTransaction tx = new NftTransaction()
            .AddTable(NftFamily.IPv4, "t")
            .AddChain(NftChain.Base(NftFamily.IPv4, "t", "f", NftChainType.Filter, NftChainHook.Forward, 0))
            .AddRule(new NftRuleBuilder(NftFamily.IPv4).SourceAddress("10.0.0.0/8").Masquerade().ToRule("t", "f"));
        NftTransactionException e = Assert.Throws<NftTransactionException>(() => client.Commit(tx));
        Assert.Equal(2, e.OperationIndex);
        Assert.Equal(Errno.EOPNOTSUPP, e.NativeErrorCode);
        // nf_tables gives no extended-ACK text for this refusal (Linux 6.18); whatever text it gives is carried.
        Assert.Equal(e.Error.KernelMessage, e.KernelMessage);
        Assert.Contains("Operation not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains("add rule ip t f", e.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, ns.Exec("nft list ruleset").Trim());
    }

    [Fact]
    public void StaleGenerationRefusesTheWholeBatch()
    {
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = OpenIn(ns);
        uint generation = client.GetGeneration();
        client.Commit(new NftTransaction().AddTable(NftFamily.IPv4, "moved"));
        Assert.Equal(generation + 1, client.GetGeneration());

        var tx = new NftTransaction { ExpectedGeneration = generation }.AddTable(NftFamily.IPv4, "late");
        NftTransactionException e = Assert.Throws<NftTransactionException>(() => client.Commit(tx));
        Assert.Equal(-1, e.OperationIndex);
        Assert.Equal(85, e.NativeErrorCode); // ERESTART
        Assert.Null(client.GetTable(NftFamily.IPv4, "late"));

        tx.ExpectedGeneration = client.GetGeneration();
        client.Commit(tx);
        Assert.NotNull(client.GetTable(NftFamily.IPv4, "late"));
    }

    [Fact]
    public void DecoderReadsBackRulesInstalledByNft()
    {
        using var ns = TestNetworkNamespace.Create();
        NftLoad(ns, File.ReadAllText(Path.Combine(TestVectors.Directory, "filter-sets.nft")));
        using NftablesClient client = OpenIn(ns);
        NftTransaction ours = NftGoldenTests.FilterSetsTransaction();
        List<NftRule> expected = ours.Operations.Where(o => o.Rule is not null).Select(o => o.Rule!).ToList();
        var listed = new List<NftRule>();
        foreach (string chain in new[] { "input", "sub", "nat_out", "nat_post" })
        {
            listed.AddRange(client.ListRules(NftFamily.IPv4, "lxf", chain));
        }

        Assert.Equal(expected.Count, listed.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            // The kernel reports counters with their values, lookups without the batch-local set id, and a
            // redirect's or nat's range end equal to its start when only the start was given, and a nat that maps
            // addresses with NF_NAT_RANGE_MAP_IPS (1) in its flags.
            IEnumerable<NftExpression> normalise(NftRule r) => r.Expressions.Select(x => x switch
            {
                NftCounter => new NftCounter(),
                NftLookup l => l with { SetId = null },
                NftRedirect d when d.ProtoMax is null => d with { ProtoMax = d.ProtoMin },
                NftNat n => n with
                {
                    AddressMax = n.AddressMax ?? n.AddressMin,
                    ProtoMax = n.ProtoMax ?? n.ProtoMin,
                    Flags = (n.Flags ?? 0) | (n.AddressMin is null ? 0u : 1u),
                },
                _ => x,
            });
            Assert.Equal(normalise(expected[i]), normalise(listed[i]));
            Assert.Equal(expected[i].Chain, listed[i].Chain);
        }
    }

    [Fact]
    public void LargeBatchIsSentAsOneDatagramWithEveryHandleEchoed()
    {
        // 5,000 rules (about 1 MB) exceed the default socket buffers; the batch must still go in one sendmsg.
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = OpenIn(ns);
        var tx = new NftTransaction().AddTable(NftFamily.IPv4, "big").AddChain(NftChain.Regular(NftFamily.IPv4, "big", "c"));
        for (int port = 1; port <= 5000; port++)
        {
            tx.AddRule(new NftRuleBuilder(NftFamily.IPv4).DestinationPort(ProtocolType.Tcp, port).Counter().Accept().ToRule("big", "c"));
        }

        NftCommitResult result = client.Commit(tx);
        Assert.Equal(5000, result.Rules.Count);
        Assert.Equal(5000, result.Rules.Select(r => r.Handle).Distinct().Count());
        IReadOnlyList<NftRule> listed = client.ListRules(NftFamily.IPv4, "big", "c");
        Assert.Equal(result.Rules.Select(r => r.Handle), listed.Select(r => r.Handle));
        Assert.Equal(5000, ns.Exec("nft list chain ip big c").Split('\n').Count(l => l.Contains("accept", StringComparison.Ordinal)));
    }
}

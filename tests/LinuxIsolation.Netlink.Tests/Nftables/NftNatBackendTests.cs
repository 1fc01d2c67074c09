using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>Privileged: the NAT helpers print in nft exactly as the equivalent nft -f input does.</summary>
public class NftNatBackendTests
{
    [Theory]
    [InlineData(NftFamily.IPv4, "seed")]
    [InlineData(NftFamily.Inet, "publish")]
    [InlineData(NftFamily.IPv6, "ipv6")]
    [InlineData(NftFamily.IPv4, "named-chains")]
    [InlineData(NftFamily.Inet, "policy-only")]
    public void AppliedRulesetListsExactlyAsNftInput(NftFamily family, string which)
    {
        NatRuleset desired = which switch
        {
            "seed" => NftGoldenTests.Seed,
            "publish" => NftGoldenTests.Publish,
            "named-chains" => NftGoldenTests.Seed with
            {
                PreroutingChain = "dnat-in",
                PostroutingChain = "snat-out",
                ForwardChain = "fw",
                ForwardPolicy = NftVerdictCode.Drop,
                PortPublishes = [new NatPortPublish(ProtocolType.Udp, 5353, IPAddress.Parse("10.201.0.5"), 53)],
            },
            "policy-only" => new NatRuleset("lxifw") { ForwardPolicy = NftVerdictCode.Drop },
            _ => new NatRuleset("lxi6")
            {
                Masquerades = [new NatMasquerade("fd00:1::/48", ["veth0", "veth1"])],
                PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 443, IPAddress.Parse("fd00:1::5"), 8443, IPAddress.Parse("fd00::1"))],
                ForwardAccepts = [NatForwardAccept.ForPrefix("fd00:1::/48")],
            },
        };

        using var byApi = TestNetworkNamespace.Create();
        using var byNft = TestNetworkNamespace.Create();
        NftablesClientTests.NftLoad(byNft, NftNatBackend.ToNftScript(desired, family));
        using NftablesClient client = byApi.Inside(() => NftablesClient.Open());
        var backend = new NftNatBackend(client, family);
        backend.Apply(desired);

        string expected = byNft.Exec("nft list ruleset");
        Assert.Contains(desired.Owner, expected, StringComparison.Ordinal);
        Assert.Equal(expected, byApi.Exec("nft list ruleset"));
        Assert.Equal(WithoutHandles(byNft.Exec("nft -j list ruleset")), WithoutHandles(byApi.Exec("nft -j list ruleset")));

        // Applying again is idempotent.
        backend.Apply(desired);
        Assert.Equal(expected, byApi.Exec("nft list ruleset"));
    }

    [Fact]
    public void ARulesetAddedWithoutReplacingKeepsWhatTheTableHeld()
    {
        NatRuleset first = NftGoldenTests.Seed;
        NatRuleset second = new NatRuleset(first.Owner)
        {
            Masquerades = [new NatMasquerade("10.202.0.0/24")],
            ForwardAccepts = [NatForwardAccept.ForInterface("br1")],
            ReplaceTable = false,
        };
        using var byApi = TestNetworkNamespace.Create();
        using var byNft = TestNetworkNamespace.Create();
        NftablesClientTests.NftLoad(byNft, NftNatBackend.ToNftScript(first, NftFamily.IPv4));
        NftablesClientTests.NftLoad(byNft, NftNatBackend.ToNftScript(second, NftFamily.IPv4));
        using NftablesClient client = byApi.Inside(() => NftablesClient.Open());
        var backend = new NftNatBackend(client, NftFamily.IPv4);
        backend.Apply(first);
        backend.Apply(second);

        string listed = byApi.Exec("nft list ruleset");
        Assert.Equal(byNft.Exec("nft list ruleset"), listed);
        Assert.Contains("10.201.0.0/24", listed, StringComparison.Ordinal);
        Assert.Contains("10.202.0.0/24", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("delete table", NftNatBackend.ToNftScript(second, NftFamily.IPv4), StringComparison.Ordinal);

        // Replacing again leaves only the replacing ruleset.
        backend.Apply(first);
        Assert.DoesNotContain("10.202.0.0/24", byApi.Exec("nft list ruleset"), StringComparison.Ordinal);
    }

    [Fact]
    public void ACommitWithoutEchoReturnsNoHandles()
    {
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = ns.Inside(() => NftablesClient.Open());
        NftTransaction tx = NftNatBackend.BuildTransaction(NftGoldenTests.Seed, NftFamily.IPv4);
        NftCommitResult quiet = client.Commit(tx, echo: false);
        Assert.Empty(quiet.Rules);
        NftCommitResult echoed = client.Commit(tx);
        Assert.NotEmpty(echoed.Rules);
        Assert.All(echoed.Rules, r => Assert.NotNull(r.Handle));
    }

    [Theory]
    [InlineData("", "prerouting", "forward")]
    [InlineData("same", "same", "forward")]
    [InlineData("1abc", "postrouting", "forward")]
    [InlineData("pre routing", "postrouting", "forward")]
    public void BadChainNamesAreRefused(string pre, string post, string forward)
    {
        var desired = new NatRuleset("lxi") { PreroutingChain = pre, PostroutingChain = post, ForwardChain = forward, ForwardPolicy = NftVerdictCode.Drop };
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(desired, NftFamily.IPv4));
    }

    [Fact]
    public void ReapplyingARulesetWhoseListsChangedInstallsTheNewRules()
    {
        // Apply keeps the transaction of the last ruleset and reuses it for an equal one: a list the caller changed
        // after the first apply must not be mistaken for the same ruleset.
        var masquerades = new System.Collections.Generic.List<NatMasquerade> { new("10.201.0.0/24") };
        var interfaces = new System.Collections.Generic.List<string> { "veth0" };
        var desired = new NatRuleset("lxireuse") { Masquerades = masquerades };
        using var ns = TestNetworkNamespace.Create();
        using NftablesClient client = ns.Inside(() => NftablesClient.Open());
        var backend = new NftNatBackend(client, NftFamily.IPv4);
        backend.Apply(desired);
        backend.Apply(desired);
        Assert.Contains("ip saddr 10.201.0.0/24 masquerade", ns.Exec("nft list table ip lxireuse"), StringComparison.Ordinal);

        masquerades.Add(new NatMasquerade("10.202.0.0/24", interfaces));
        backend.Apply(desired);
        string listed = ns.Exec("nft list table ip lxireuse");
        Assert.Contains("ip saddr 10.202.0.0/24 oifname \"veth0\" masquerade", listed, StringComparison.Ordinal);

        interfaces[0] = "veth9";
        backend.Apply(desired);
        listed = ns.Exec("nft list table ip lxireuse");
        Assert.Contains("ip saddr 10.202.0.0/24 oifname \"veth9\" masquerade", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("veth0", listed, StringComparison.Ordinal);

        // An equal ruleset built anew is applied as the same one (idempotent).
        backend.Apply(desired with { Masquerades = [new("10.201.0.0/24"), new("10.202.0.0/24", ["veth9"])] });
        Assert.Equal(listed, ns.Exec("nft list table ip lxireuse"));
    }

    [Fact]
    public void AForwardPolicyOtherThanAcceptOrDropIsRefused()
    {
        var desired = new NatRuleset("lxi") { ForwardPolicy = NftVerdictCode.Return };
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(desired, NftFamily.IPv4));
    }

    [Fact]
    public void TheIptablesBackendRefusesTheNftablesOnlyOptions()
    {
        Assert.Throws<ArgumentException>(() => IptablesNatBackend.BuildRestoreInput(NftGoldenTests.Seed with { ForwardPolicy = NftVerdictCode.Drop }, ipv6: false, ""));
        Assert.Throws<ArgumentException>(() => IptablesNatBackend.BuildRestoreInput(NftGoldenTests.Seed with { ReplaceTable = false }, ipv6: false, ""));
        Assert.Throws<ArgumentException>(() => IptablesNatBackend.BuildRestoreInput(NftGoldenTests.Seed with { ForwardChain = "fw" }, ipv6: false, ""));
    }

    /// <summary>nft -j output with the kernel's handle numbers removed (they count per namespace).</summary>
    private static string WithoutHandles(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"handle\": [0-9]+", "\"handle\": 0");

    [Fact]
    public void ApplyReplacesAndTeardownRemovesOnlyTheOwnersTable()
    {
        using var ns = TestNetworkNamespace.Create();
        const string others = "table ip other {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tip saddr 192.168.0.0/16 masquerade\n\t}\n}\n";
        NftablesClientTests.NftLoad(ns, others);
        using NftablesClient client = ns.Inside(() => NftablesClient.Open());
        var backend = new NftNatBackend(client);

        backend.Apply(NftGoldenTests.Publish with { Owner = "app" });
        backend.Apply(new NatRuleset("app") { Masquerades = [new NatMasquerade("10.5.0.0/16")] });
        string listed = ns.Exec("nft list table inet app");
        Assert.Contains("ip saddr 10.5.0.0/16 masquerade", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("dnat", listed, StringComparison.Ordinal);

        backend.Teardown("app");
        Assert.Equal(others, ns.Exec("nft list ruleset"));
        backend.Teardown("app"); // already gone: not an error
        Assert.Equal(others, ns.Exec("nft list ruleset"));
    }
}

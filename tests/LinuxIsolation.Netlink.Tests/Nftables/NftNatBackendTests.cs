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
    public void AppliedRulesetListsExactlyAsNftInput(NftFamily family, string which)
    {
        NatRuleset desired = which switch
        {
            "seed" => NftGoldenTests.Seed,
            "publish" => NftGoldenTests.Publish,
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

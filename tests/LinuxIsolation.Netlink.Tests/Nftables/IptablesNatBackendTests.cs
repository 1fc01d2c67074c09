using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>Privileged: the iptables backend in a private namespace, both variants, checked with iptables-save.</summary>
public class IptablesNatBackendTests
{
    /// <summary>Runs the programs inside the test namespace (the fixture may use <c>ip netns exec</c>; the library does not).</summary>
    private static IptablesRunner InNamespace(TestNetworkNamespace ns) => (program, arguments, input) =>
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns.Name, program }.Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        using Process p = Process.Start(info)!;
        if (input is not null)
        {
            p.StandardInput.Write(input);
        }

        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new IptablesCommandResult(p.ExitCode, output, error);
    };

    /// <summary>The rules (<c>-A</c> lines) of every table, with the table they are in. The built-in tables and chains
    /// iptables creates on first use (empty, policy ACCEPT) stay after teardown, as with iptables itself.</summary>
    private static string Save(TestNetworkNamespace ns, string program)
    {
        string table = string.Empty;
        var rules = new List<string>();
        foreach (string line in ns.Exec(program).Split('\n'))
        {
            if (line.StartsWith('*'))
            {
                table = line;
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal))
            {
                rules.Add($"{table} {line}");
            }
        }

        return string.Join('\n', rules);
    }

    private static string[] Tagged(string save, string owner) =>
        save.Split('\n').Where(l => l.Contains($"\"lxi:{owner}\"", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToArray();

    [Theory]
    [InlineData(IptablesVariant.Legacy, "legacy")]
    [InlineData(IptablesVariant.Nft, "nft")]
    public void RulesAppearInIptablesSaveAndTeardownRemovesExactlyThem(IptablesVariant variant, string name)
    {
        using var ns = TestNetworkNamespace.Create();
        string save4 = $"iptables-{name}-save", save6 = $"ip6tables-{name}-save";
        ns.Exec($"iptables-{name} -t nat -A POSTROUTING -s 192.168.0.0/16 -j MASQUERADE");
        ns.Exec($"iptables-{name} -A FORWARD -i other0 -j DROP");
        ns.Exec($"ip6tables-{name} -t nat -A POSTROUTING -s fd99::/64 -j MASQUERADE");
        string before4 = Save(ns, save4), before6 = Save(ns, save6);

        var backend = new IptablesNatBackend(variant, InNamespace(ns));
        backend.Apply(NftGoldenTests.Publish with { Owner = "app" });
        string after4 = Save(ns, save4), after6 = Save(ns, save6);
        Assert.Equal(
        [
            // iptables-save prints the filter table before the nat table.
            "-A FORWARD -i br0 -m comment --comment \"lxi:app\" -j ACCEPT",
            "-A FORWARD -o br0 -m comment --comment \"lxi:app\" -j ACCEPT",
            "-A PREROUTING -p tcp -m tcp --dport 8080 -m comment --comment \"lxi:app\" -j DNAT --to-destination 10.201.0.5:80",
            "-A PREROUTING -d 10.0.0.1/32 -p tcp -m tcp --dport 8081 -m comment --comment \"lxi:app\" -j DNAT --to-destination 10.201.0.5:81",
            "-A POSTROUTING -s 10.201.0.0/24 -o eth0 -m comment --comment \"lxi:app\" -j MASQUERADE",
            "-A POSTROUTING -s 10.200.0.0/13 -m comment --comment \"lxi:app\" -j MASQUERADE",
        ], Tagged(after4, "app"));
        Assert.Equal(
        [
            "-A FORWARD -i br0 -m comment --comment \"lxi:app\" -j ACCEPT",
            "-A FORWARD -o br0 -m comment --comment \"lxi:app\" -j ACCEPT",
            "-A PREROUTING -p udp -m udp --dport 5353 -m comment --comment \"lxi:app\" -j DNAT --to-destination [fd00::5]:53",
            "-A POSTROUTING -s fd00::/64 -m comment --comment \"lxi:app\" -j MASQUERADE",
        ], Tagged(after6, "app"));

        // Idempotent, then replaced by a smaller ruleset, then removed; the other rules stay as they were.
        backend.Apply(NftGoldenTests.Publish with { Owner = "app" });
        Assert.Equal(after4, Save(ns, save4));
        backend.Apply(new NatRuleset("app") { Masquerades = [new NatMasquerade("10.5.0.0/16")] });
        Assert.Equal(["-A POSTROUTING -s 10.5.0.0/16 -m comment --comment \"lxi:app\" -j MASQUERADE"], Tagged(Save(ns, save4), "app"));
        Assert.Empty(Tagged(Save(ns, save6), "app"));
        backend.Teardown("app");
        Assert.Equal(before4, Save(ns, save4));
        Assert.Equal(before6, Save(ns, save6));
        backend.Teardown("app");
        Assert.Equal(before4, Save(ns, save4));
    }

    [Fact]
    public void DetectReadsTheVariantFromIptablesRestore()
    {
        using var ns = TestNetworkNamespace.Create();
        string version = ns.Exec("iptables-restore --version");
        IptablesVariant expected = version.Contains("(legacy)", StringComparison.Ordinal) ? IptablesVariant.Legacy : IptablesVariant.Nft;
        Assert.Equal(expected, IptablesNatBackend.Detect(InNamespace(ns)));
        Assert.Equal(expected, new IptablesNatBackend(runner: InNamespace(ns)).Variant);
    }

    [Fact]
    public void RestoreFailureCarriesIptablesText()
    {
        using var ns = TestNetworkNamespace.Create();
        // A runner whose restore fails stands in for a refused iptables-restore; the save still runs in the namespace.
        IptablesRunner failing = (program, arguments, input) => program.EndsWith("restore", StringComparison.Ordinal)
            ? new IptablesCommandResult(1, string.Empty, "iptables-restore: line 2 failed")
            : InNamespace(ns)(program, arguments, input);
        var backend = new IptablesNatBackend(IptablesVariant.Nft, failing);
        IptablesException e = Assert.Throws<IptablesException>(() => backend.Apply(NftGoldenTests.Seed));
        Assert.Equal("iptables-nft-restore", e.Program);
        Assert.Contains("line 2 failed", e.Message, StringComparison.Ordinal);
        Assert.Contains("-j MASQUERADE", e.Input, StringComparison.Ordinal);
    }

    /// <summary>A runner that makes the restores whose 1-based numbers are in <paramref name="failing"/> fail, and counts them.</summary>
    private static IptablesRunner FailingRestores(TestNetworkNamespace ns, List<string> restores, params int[] failing) => (program, arguments, input) =>
    {
        if (!program.EndsWith("restore", StringComparison.Ordinal) || arguments is not ["--noflush"])
        {
            return InNamespace(ns)(program, arguments, input);
        }

        restores.Add($"{program} {input!.Split('\n')[0]}");
        return failing.Contains(restores.Count)
            ? new IptablesCommandResult(1, string.Empty, $"iptables-restore: injected failure of restore {restores.Count}")
            : InNamespace(ns)(program, arguments, input);
    };

    [Theory]
    [InlineData(IptablesVariant.Legacy, "legacy", 1)]
    [InlineData(IptablesVariant.Legacy, "legacy", 2)]
    [InlineData(IptablesVariant.Legacy, "legacy", 3)]
    [InlineData(IptablesVariant.Legacy, "legacy", 4)]
    [InlineData(IptablesVariant.Nft, "nft", 1)]
    [InlineData(IptablesVariant.Nft, "nft", 2)]
    [InlineData(IptablesVariant.Nft, "nft", 3)]
    [InlineData(IptablesVariant.Nft, "nft", 4)]
    public void AFailedCommitUndoesTheCommitsBeforeIt(IptablesVariant variant, string name, int failAt)
    {
        using var ns = TestNetworkNamespace.Create();
        string save4 = $"iptables-{name}-save", save6 = $"ip6tables-{name}-save";
        ns.Exec($"iptables-{name} -t nat -A POSTROUTING -s 192.168.0.0/16 -j MASQUERADE");
        ns.Exec($"ip6tables-{name} -A FORWARD -i other0 -j DROP");
        // The owner already has rules in all four tables; the failed Apply must leave exactly them.
        new IptablesNatBackend(variant, InNamespace(ns)).Apply(new NatRuleset("app")
        {
            Masquerades = [new NatMasquerade("10.9.0.0/16"), new NatMasquerade("fd09::/64")],
            ForwardAccepts = [NatForwardAccept.ForInterface("br9"), NatForwardAccept.ForPrefix("fd09::/64")],
        });
        string before4 = Save(ns, save4), before6 = Save(ns, save6);

        var restores = new List<string>();
        var backend = new IptablesNatBackend(variant, FailingRestores(ns, restores, failAt));
        IptablesException e = Assert.Throws<IptablesException>(() => backend.Apply(NftGoldenTests.Publish with { Owner = "app" }));

        // Four commits, one per table and family, in this order; the failed one, then the undo of each earlier one.
        string[] order = [$"iptables-{name}-restore *nat", $"iptables-{name}-restore *filter", $"ip6tables-{name}-restore *nat", $"ip6tables-{name}-restore *filter"];
        Assert.Equal(order.Take(failAt).Concat(order.Take(failAt - 1).Reverse()), restores);
        Assert.Equal(order[failAt - 1].Split(' ')[0], e.Program);
        Assert.Equal(order.Take(failAt - 1).Reverse(), e.Undone);
        Assert.Empty(e.LeftApplied);
        Assert.Contains($"injected failure of restore {failAt}", e.Message, StringComparison.Ordinal);
        if (failAt > 1)
        {
            Assert.Contains("were undone", e.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Sorted(before4), Sorted(Save(ns, save4)));
        Assert.Equal(Sorted(before6), Sorted(Save(ns, save6)));
    }

    [Theory]
    [InlineData(IptablesVariant.Legacy, "legacy")]
    [InlineData(IptablesVariant.Nft, "nft")]
    public void AFailedUndoIsNamedAsLeftApplied(IptablesVariant variant, string name)
    {
        using var ns = TestNetworkNamespace.Create();
        var restores = new List<string>();
        // Restore 3 (IPv6 nat) fails; of the undos, restore 4 (IPv4 filter) works and restore 5 (IPv4 nat) fails.
        var backend = new IptablesNatBackend(variant, FailingRestores(ns, restores, 3, 5));
        IptablesException e = Assert.Throws<IptablesException>(() => backend.Apply(NftGoldenTests.Publish with { Owner = "app" }));
        Assert.Equal([$"iptables-{name}-restore *filter"], e.Undone);
        string left = Assert.Single(e.LeftApplied);
        Assert.StartsWith($"iptables-{name}-restore *nat (undo failed: iptables-restore: injected failure of restore 5", left, StringComparison.Ordinal);
        Assert.Contains("could not all be undone; still applied: " + left, e.Message, StringComparison.Ordinal);

        // What the exception says is what iptables-save shows: IPv4 nat rules of the owner remain, nothing else.
        string[] tagged = Tagged(Save(ns, $"iptables-{name}-save"), "app");
        Assert.NotEmpty(tagged);
        Assert.All(tagged, l => Assert.True(l.StartsWith("-A PREROUTING", StringComparison.Ordinal) || l.StartsWith("-A POSTROUTING", StringComparison.Ordinal), l));
        Assert.Empty(Tagged(Save(ns, $"ip6tables-{name}-save"), "app"));
        new IptablesNatBackend(variant, InNamespace(ns)).Teardown("app");
        Assert.Empty(Tagged(Save(ns, $"iptables-{name}-save"), "app"));
    }

    private static string[] Sorted(string save) => save.Split('\n').Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void RestoreInputIsBuiltBeforeAnythingRuns()
    {
        string? input = IptablesNatBackend.BuildRestoreInput(new NatRuleset("app")
        {
            PortPublishes = [new NatPortPublish(ProtocolType.Udp, 53, IPAddress.Parse("10.0.0.5"), 5353)],
        }, ipv6: false, "*nat\n-A PREROUTING -p tcp -m tcp --dport 1 -m comment --comment \"lxi:app\" -j DNAT --to-destination 10.0.0.9:1\n-A PREROUTING -p tcp -m tcp --dport 2 -m comment --comment \"lxi:application\" -j DNAT --to-destination 10.0.0.9:2\nCOMMIT\n");
        Assert.Equal(
            "*nat\n-D PREROUTING -p tcp -m tcp --dport 1 -m comment --comment \"lxi:app\" -j DNAT --to-destination 10.0.0.9:1\n" +
            "-A PREROUTING -p udp -m udp --dport 53 -m comment --comment \"lxi:app\" -j DNAT --to-destination 10.0.0.5:5353\nCOMMIT\n", input);
        Assert.Null(IptablesNatBackend.BuildRestoreInput(new NatRuleset("app"), ipv6: true, string.Empty));
        Assert.Throws<ArgumentException>(() => IptablesNatBackend.BuildRestoreInput(new NatRuleset("app") { Masquerades = [new NatMasquerade("10.0.0.1/8")] }, false, string.Empty));
    }
}

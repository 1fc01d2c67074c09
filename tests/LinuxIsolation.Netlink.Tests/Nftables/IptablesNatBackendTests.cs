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

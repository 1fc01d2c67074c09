using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Compare;

/// <summary>
/// "setup nat-install": the seed's NAT (samples/SeedNetwork section 4: masquerade 10.201.0.0/24 out of uplink0,
/// forward accept for the prefix both ways, tcp 8080 on 198.51.100.1 published to 10.201.0.5:80) applied with
/// <see cref="NftNatBackend.Apply"/> on an <see cref="NftablesClient"/> whose socket was opened inside the throwaway
/// host namespace (<see cref="NetworkNamespace.OpenNetlinkSocket"/>). One apply is one nf_tables batch: add table,
/// delete table, add table, 3 chains, 4 rules, so each apply atomically replaces the previous ruleset.
/// Teardown: <see cref="NftNatBackend.Teardown"/>.
/// </summary>
internal sealed class NatInstallCase : IDisposable
{
    public const string Name = "setup nat-install";

    private readonly string _hostName;
    private readonly string _world;
    private readonly NftablesClient _client;
    private readonly NftNatBackend _backend;

    public NatInstallCase()
    {
        _hostName = Environment.GetEnvironmentVariable("COMPARE_HOST_NETNS") ?? "";
        if (_hostName.Length == 0)
        {
            throw new InvalidOperationException("COMPARE_HOST_NETNS must be set (benchmarks/compare/run sets it).");
        }

        _world = System.IO.Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "nat-world");
        using NetworkNamespace host = NetworkNamespace.Open(_hostName);
        _client = new NftablesClient(host.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        _backend = new NftNatBackend(_client);
    }

    /// <summary>The seed's ruleset (the same in every implementation).</summary>
    public static NatRuleset Ruleset => new("lxi_seed")
    {
        Masquerades = [new NatMasquerade("10.201.0.0/24", ["uplink0"])],
        ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
        PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("10.201.0.5"), 80, IPAddress.Parse("198.51.100.1"))],
    };

    /// <summary>Applies once, prints <c>nat-world describe</c> (and with "ruleset", <c>nft list ruleset</c>), removes.</summary>
    public string Verify(string what)
    {
        _backend.Apply(Ruleset);
        string text = World(what, _hostName);
        _backend.Teardown("lxi_seed");
        return text;
    }

    /// <summary>One timed run of <paramref name="n"/> applies; wall-clock ns per apply. The table is removed after.</summary>
    public double RunOnce(int n)
    {
        NatRuleset ruleset = Ruleset;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            _backend.Apply(ruleset);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _backend.Teardown("lxi_seed");
        return elapsed * (1e9 / Stopwatch.Frequency) / n;
    }

    private string World(string command, string ns)
    {
        var info = new ProcessStartInfo(_world) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(ns);
        using Process p = Process.Start(info) ?? throw new InvalidOperationException("nat-world did not start.");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"nat-world {command} failed ({p.ExitCode}).");
    }

    public void Dispose() => _client.Dispose();
}

using System;
using BenchmarkDotNet.Attributes;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Benchmarks;

/// <summary>
/// Committing the seed's NAT ruleset (<c>ip saddr 10.201.0.0/24 masquerade</c> in postrouting, forward accept for the
/// prefix both ways, the table replaced as a whole: 8 operations, one batch, one <c>sendmsg</c>) in an anonymous
/// network namespace made for the benchmark. Each call is a real commit the kernel acknowledges operation by operation.
/// Expected: 0 B allocated per commit in steady state (the batch is written into the client's reused buffer).
/// Needs root (CAP_SYS_ADMIN to make the namespace, CAP_NET_ADMIN in it).
/// </summary>
[MemoryDiagnoser]
public class NftCommitBenchmarks
{
    private NetworkNamespace _namespace = null!;
    private NftablesClient _client = null!;
    private NftNatBackend _backend = null!;
    private NatRuleset _ruleset = null!;
    private NftTransaction _transaction = null!;
    private readonly byte[] _buffer = new byte[8192];

    /// <summary>The seed's ruleset.</summary>
    public static NatRuleset SeedRuleset => new("lxi_seed")
    {
        Masquerades = [new NatMasquerade("10.201.0.0/24")],
        ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
    };

    /// <summary>Makes the namespace, opens the client inside it, builds the transaction once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _namespace = NetworkNamespace.CreateAnonymous();
        _client = new NftablesClient(_namespace.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        _backend = new NftNatBackend(_client);
        _ruleset = SeedRuleset;
        _transaction = NftNatBackend.BuildTransaction(_ruleset, NftFamily.Inet);
    }

    /// <summary>Closes the client and the namespace (the kernel drops the table with it).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _namespace.Dispose();
    }

    /// <summary><c>NftablesClient.Commit(transaction, echo: false)</c> of the prebuilt transaction (<c>nft -f</c> of the ruleset).</summary>
    [Benchmark]
    public NftCommitResult Commit() => _client.Commit(_transaction, echo: false);

    /// <summary><c>NftNatBackend.Apply(ruleset)</c> of the same ruleset again (the backend reuses the transaction it built).</summary>
    [Benchmark]
    public void Apply() => _backend.Apply(_ruleset);

    /// <summary>Writing the batch only (no system call): <c>NftTransaction.Encode</c> into a reused buffer.</summary>
    [Benchmark]
    public int Encode() => _transaction.Encode(_buffer, acknowledge: true, echo: false);
}

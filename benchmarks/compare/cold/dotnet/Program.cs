using System;
using System.Diagnostics;
using System.Globalization;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Cold;

/// <summary>
/// benchmarks/compare/cold, LinuxIsolation: <c>cold CASE</c> does the case once in this fresh process and prints the
/// nanoseconds from just before the netlink socket is opened (or the spawn starts) to the end of the call;
/// <c>warm CASE N</c> does it N/5 times untimed, then N times timed one by one, and prints the median.
/// Cases (the same work in every implementation):
/// <c>nat</c>: <c>NftNatBackend.Apply</c> of the seed ruleset (table inet lxi_seed replaced: add, delete, add table,
/// chains postrouting and forward, <c>ip saddr 10.201.0.0/24 masquerade</c>, <c>ip saddr/daddr 10.201.0.0/24 accept</c>;
/// one batch); <c>nat-tx</c>: the same batch as an <c>NftTransaction</c> committed with <c>NftablesClient.Commit</c>;
/// <c>link</c>: <c>ip link set lo up</c> (<c>RtnetlinkClient.SetLinkUp(1)</c>, one <c>RTM_NEWLINK</c> acknowledged);
/// <c>spawn</c>: <c>/bin/true</c> in new pid, mount, UTS and IPC namespaces with COLD_SPAWN_ROOT as root (pivot_root),
/// waited for.
/// </summary>
internal static class Program
{
    private static NatRuleset Seed() => new("lxi_seed")
    {
        Masquerades = [new NatMasquerade("10.201.0.0/24")],
        ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
    };

    public static int Main(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("cold" or "warm"))
        {
            Console.Error.WriteLine("usage: LinuxIsolation.Cold cold CASE | warm CASE N   (CASE: nat, nat-tx, link, spawn)");
            return 2;
        }

        string name = args[1];
        if (args[0] == "cold")
        {
            // Timed up to the end of the call; closing the socket is left out, as in every implementation (closing a
            // NETLINK_NETFILTER socket waits for the kernel's deferred release of the replaced table: an RCU grace period).
            long start = Stopwatch.GetTimestamp(), end;
            IDisposable? open = null;
            switch (name)
            {
                case "nat":
                {
                    NftablesClient client = NftablesClient.Open();
                    open = client;
                    new NftNatBackend(client).Apply(Seed());
                    break;
                }

                case "nat-tx":
                {
                    NftablesClient client = NftablesClient.Open();
                    open = client;
                    client.Commit(Transaction(), echo: false);
                    break;
                }

                case "link":
                {
                    RtnetlinkClient client = RtnetlinkClient.Open();
                    open = client;
                    client.SetLinkUp(1);
                    break;
                }

                case "spawn":
                    Spawn(StartInfo());
                    break;
                default:
                    return 2;
            }

            end = Stopwatch.GetTimestamp();
            open?.Dispose();
            Print((long)((end - start) * (1e9 / Stopwatch.Frequency)));
            return 0;
        }

        int n = args.Length > 2 && int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0 ? count : 1000;
        Action op;
        IDisposable? owner = null;
        switch (name)
        {
            case "nat":
            {
                NftablesClient client = NftablesClient.Open();
                var backend = new NftNatBackend(client);
                NatRuleset ruleset = Seed();
                owner = client;
                op = () => backend.Apply(ruleset);
                break;
            }

            case "nat-tx":
            {
                NftablesClient client = NftablesClient.Open();
                NftTransaction tx = Transaction();
                owner = client;
                op = () => client.Commit(tx, echo: false);
                break;
            }

            case "link":
            {
                RtnetlinkClient client = RtnetlinkClient.Open();
                owner = client;
                op = () => client.SetLinkUp(1);
                break;
            }

            case "spawn":
            {
                IsolatedProcessStartInfo info = StartInfo();
                op = () => Spawn(info);
                break;
            }

            default:
                return 2;
        }

        for (int i = 0; i < Math.Max(20, n / 5); i++)
        {
            op();
        }

        var times = new long[n];
        for (int i = 0; i < n; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            op();
            times[i] = Stopwatch.GetTimestamp() - t0;
        }

        owner?.Dispose();
        Array.Sort(times);
        Print((long)(times[n / 2] * (1e9 / Stopwatch.Frequency)));
        return 0;
    }

    /// <summary>
    /// Writes the figure and a newline to standard output through the raw stream, as lxi-cni writes its result (Console.Out
    /// would set up a text writer, an encoder and the terminal first: about 0.1 ms of a fresh process).
    /// </summary>
    private static void Print(long nanoseconds)
    {
        Span<byte> text = stackalloc byte[24];
        nanoseconds.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        text[length++] = (byte)'\n';
        using System.IO.Stream stdout = Console.OpenStandardOutput();
        stdout.Write(text.Slice(0, length));
    }

    /// <summary>The seed ruleset's batch through the transaction API, as NftNatBackend.BuildTransaction makes it.</summary>
    private static NftTransaction Transaction()
    {
        const string Table = "lxi_seed";
        var tx = new NftTransaction()
            .AddTable(NftFamily.Inet, Table).DeleteTable(NftFamily.Inet, Table).AddTable(NftFamily.Inet, Table)
            .AddChain(NftChain.Base(NftFamily.Inet, Table, "postrouting", NftChainType.Nat, NftChainHook.Postrouting, NftChain.PrioritySourceNat))
            .AddChain(NftChain.Base(NftFamily.Inet, Table, "forward", NftChainType.Filter, NftChainHook.Forward, NftChain.PriorityFilter, NftVerdictCode.Accept));
        tx.AddRule(new NftRuleBuilder(NftFamily.Inet).SourceAddress("10.201.0.0/24").Masquerade().ToRule(Table, "postrouting"));
        tx.AddRule(new NftRuleBuilder(NftFamily.Inet).SourceAddress("10.201.0.0/24").Accept().ToRule(Table, "forward"));
        tx.AddRule(new NftRuleBuilder(NftFamily.Inet).DestinationAddress("10.201.0.0/24").Accept().ToRule(Table, "forward"));
        return tx;
    }

    private static IsolatedProcessStartInfo StartInfo()
    {
        string root = Environment.GetEnvironmentVariable("COLD_SPAWN_ROOT") ?? throw new InvalidOperationException("COLD_SPAWN_ROOT is not set.");
        var info = new IsolatedProcessStartInfo("/bin/true", [])
        {
            NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc,
            RootDirectory = root,
        };
        info.Mounts.Add(new IsolatedMount { Kind = MountKind.Proc, Target = "/proc" });
        info.Environment.Clear();
        info.Environment["PATH"] = "/bin";
        return info;
    }

    private static void Spawn(IsolatedProcessStartInfo info)
    {
        using IsolatedProcess p = IsolatedProcess.Start(info);
        p.WaitForExit();
    }
}

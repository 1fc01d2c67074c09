using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;
using LinuxIsolation.Processes;

namespace Soak;

/// <summary>
/// The soak test of issue 8: N cycles of "a container's life" (named network namespace, a veth whose peer is
/// created inside it and whose host end joins a bridge, addresses, links up, a default route, the NAT table
/// re-applied with a DNAT to this container, <c>/bin/true</c> spawned into the namespace inside a cgroup of its
/// own, waited for, torn down), with the process's fds, threads, RSS, zombie children and mounts and the kernel
/// objects it made (named namespaces, links, nf_tables tables, cgroups) read before the first timed cycle and
/// after the last. Everything lives in a throwaway "host" namespace and a cgroup subtree of its own; the
/// machine's initial network namespace is never touched. Exit code 0: every counter back to its start (RSS
/// within <see cref="RssBoundKiB"/>); 1: a counter moved or a cycle failed; 2: bad arguments; 130: interrupted.
/// </summary>
internal static class Program
{
    /// <summary>RSS may grow by at most this much (64 MiB) between the two readings: the GC keeps heap segments it has grown.</summary>
    private const long RssBoundKiB = 64 * 1024;

    private const string Owner = "lxi_soak";

    /// <summary>The owner tag on every namespace, veth end and cgroup a cycle makes (see <c>docs/recovery.md</c>).</summary>
    private static readonly ResourceOwner Tagged = ResourceOwner.Current("lxi-soak");

    /// <summary>Counts what the library logs at Information and above during the run (logging on, as a service would run it).</summary>
    private static readonly CountingLoggerFactory Logs = new();
    private const string BridgeName = "br-soak";
    private static readonly IPAddress BridgeAddress = IPAddress.Parse("10.250.0.1");

    private static int Main(string[] args)
    {
        LinuxIsolation.LinuxIsolationLogging.LoggerFactory = Logs;
        int cycles = 10_000;
        int warmup = 20;
        for (int a = 0; a < args.Length; a++)
        {
            switch (args[a])
            {
                case "--cycles" when a + 1 < args.Length && int.TryParse(args[a + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0:
                    cycles = n;
                    a++;
                    break;
                case "--short":
                    cycles = 200;
                    break;
                case "--warmup" when a + 1 < args.Length && int.TryParse(args[a + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int w):
                    warmup = w;
                    a++;
                    break;
                default:
                    Console.Error.WriteLine("usage: Soak [--cycles N (default 10000) | --short (200 cycles)] [--warmup N (default 20)]");
                    return 2;
            }
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        using var world = new SoakWorld($"lxi-soak-{Environment.ProcessId}-");
        int exit;
        try
        {
            exit = Run(world, cycles, warmup, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Interrupted: cleaning up.");
            exit = 130;
        }
        catch (Exception e)
        {
            Console.WriteLine($"FAILED: {e}");
            exit = 1;
        }

        List<string> left = world.TearDown();
        if (left.Count == 0)
        {
            Console.WriteLine("Clean-up: nothing of ours remains (no /run/netns entry with our prefix, no soak cgroup; the host namespace took its bridge and NAT table with it).");
        }
        else
        {
            foreach (string l in left)
            {
                Console.WriteLine($"LEFT BEHIND: {l}");
            }

            exit = exit == 0 ? 1 : exit;
        }

        return exit;
    }

    private static int Run(SoakWorld world, int cycles, int warmup, CancellationToken cancel)
    {
        world.SetUp();
        Console.WriteLine($"soak: {cycles} cycles after {warmup} warm-up cycles; host namespace {world.HostName}, cgroup {world.SoakCgroup!.Path}");

        for (int i = 0; i < warmup; i++)
        {
            cancel.ThrowIfCancellationRequested();
            Cycle(world, i);
        }

        // The runtime maps each framework assembly once, on first use, and keeps the fd: load the whole reference
        // closure now and take one dry reading, so a late first use is not counted as a leak.
        PreloadAssemblies();
        _ = Counters.Read(world, Tagged);
        Counters before = Counters.Read(world, Tagged);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < cycles; i++)
        {
            cancel.ThrowIfCancellationRequested();
            Cycle(world, warmup + i);
            if ((i + 1) % 1000 == 0)
            {
                Console.WriteLine($"  {i + 1} cycles, {(i + 1) / clock.Elapsed.TotalSeconds:0.0} cycles/s");
            }
        }

        clock.Stop();
        Counters after = Counters.Read(world, Tagged);

        Console.WriteLine();
        Console.WriteLine($"{"counter",-24} {"before",10} {"after",10} {"delta",10}");
        bool ok = true;
        foreach (string name in Counters.Names)
        {
            long b = before.Values[name], a = after.Values[name];
            bool bad = name == Counters.Rss ? a - b > RssBoundKiB : a != b;
            ok &= !bad;
            Console.WriteLine($"{name,-24} {b,10} {a,10} {a - b,10:+0;-0;0}{(bad ? "   <-- FAIL" : "")}");
        }

        if (before.Values["open fds"] != after.Values["open fds"])
        {
            foreach (string fd in after.FileDescriptors.Except(before.FileDescriptors))
            {
                Console.WriteLine($"  fd opened and not closed: {fd}");
            }

            foreach (string fd in before.FileDescriptors.Except(after.FileDescriptors))
            {
                Console.WriteLine($"  fd closed since before: {fd}");
            }
        }

        if (before.Values["mounts"] != after.Values["mounts"])
        {
            Console.WriteLine($"  mounts added: {string.Join(", ", after.MountPoints.Except(before.MountPoints))}; removed: {string.Join(", ", before.MountPoints.Except(after.MountPoints))}");
        }

        Console.WriteLine($"logged at Information and above: {Logs.Information} information, {Logs.Warnings} warnings, {Logs.Errors} errors");
        if (Logs.Information == 0 || Logs.Warnings != 0 || Logs.Errors != 0)
        {
            Console.WriteLine("  <-- FAIL: every operation logs its completion; none may warn (an undo) or fail");
            ok = false;
        }

        Console.WriteLine();
        Console.WriteLine($"{cycles} cycles in {clock.Elapsed.TotalSeconds:0.0} s: {cycles / clock.Elapsed.TotalSeconds:0.0} cycles/s; RSS bound +{RssBoundKiB / 1024} MiB; every other counter must be unchanged");
        Console.WriteLine(ok ? "soak: PASS" : "soak: FAIL (a counter moved)");
        return ok ? 0 : 1;
    }

    private static void PreloadAssemblies()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<System.Reflection.Assembly>([typeof(Program).Assembly]);
        while (pending.Count > 0)
        {
            foreach (System.Reflection.AssemblyName name in pending.Pop().GetReferencedAssemblies())
            {
                if (seen.Add(name.FullName))
                {
                    pending.Push(System.Reflection.Assembly.Load(name));
                }
            }
        }
    }

    /// <summary>
    /// One container's life, torn down before it returns (also when a step fails). It goes through the library's
    /// multi-step operations (each undone on failure, logged), with everything tagged by <see cref="Tagged"/>.
    /// </summary>
    private static void Cycle(SoakWorld world, int i)
    {
        string nsName = world.Prefix + i.ToString(CultureInfo.InvariantCulture);
        string hostEnd = "vs" + i.ToString(CultureInfo.InvariantCulture);
        string cgroupName = "c" + i.ToString(CultureInfo.InvariantCulture);
        int n = i % 16_000;
        IPAddress address = IPAddress.Parse($"10.250.{1 + n / 250}.{2 + n % 250}");
        RtnetlinkClient hostRt = world.HostRt!;
        Cgroup soak = world.SoakCgroup!;

        // ip netns add NS ; ip -n NS link set lo alias TAG
        NetworkNamespace ns = NetworkNamespace.CreateNamed(nsName, Tagged);
        int hostIndex = 0;
        bool cgroupMade = false;
        try
        {
            // ip link add vsI type veth peer name eth0 netns NS ; ip link set vsI master br-soak up ;
            // ip -n NS addr add ADDR/16 dev eth0 ; ip -n NS link set lo up ; ... eth0 up ; ip -n NS route add default via GW
            VethPeer veth = ns.AddVethPeer(hostRt, new VethPeerOptions
            {
                HostName = hostEnd,
                PeerName = "eth0",
                BridgeIndex = world.BridgeIndex,
                PeerAddresses = [new VethAddress(address, 16)],
                Gateway = BridgeAddress,
                Owner = Tagged,
            });
            hostIndex = veth.HostIndex;

            // nft -f: the owner's table replaced (tagged as its comment), with a DNAT of host port 8080 to this container.
            world.Nat!.Apply(new NatRuleset(Owner)
            {
                PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, address, 80)],
                ForwardAccepts = [NatForwardAccept.ForPrefix("10.250.0.0/16")],
            }.WithOwner(Tagged));

            using (Cgroup group = soak.CreateChild(cgroupName, Tagged))
            {
                cgroupMade = true;
                var info = new IsolatedProcessStartInfo("/bin/true") { CgroupPath = group.Path };
                info.JoinNamespaces.Add(NamespaceJoin.NetworkNamespace(nsName));
                using IsolatedProcess process = IsolatedProcess.Start(info);
                ProcessExitStatus status = process.WaitForExit();
                if (status.ExitCode != 0)
                {
                    throw new InvalidOperationException($"cycle {i}: /bin/true ended with {status}");
                }
            }
        }
        finally
        {
            if (cgroupMade)
            {
                soak.DeleteChild(cgroupName);
            }

            // Deleting the host end takes its peer with it now; dropping the namespace alone would leave the
            // pair to the kernel's asynchronous namespace clean-up.
            if (hostIndex != 0)
            {
                hostRt.DeleteLink(hostIndex);
            }

            ns.Dispose();
            NetworkNamespace.Delete(nsName);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Compare;

/// <summary>
/// The LinuxIsolation side of <c>benchmarks/compare</c>, with the same command line and timing method as
/// every other implementation there:
/// <c>list</c>; <c>verify CASE</c> (one message as lowercase hex, written into a buffer filled with 0xff);
/// <c>bench ITERATIONS [CASE...]</c> (per case: 0.5 s warm-up, then 15 timed runs of ITERATIONS operations,
/// each timed with the thread's CPU clock, <c>CLOCK_THREAD_CPUTIME_ID</c>, as the C side does; prints <c>case TAB implementation TAB ns-per-op-of-the-best-run TAB iterations</c>).
/// </summary>
internal static partial class Program
{
    private const int Runs = 15;
    private static readonly long WarmupTicks = Stopwatch.Frequency / 2;
    // One 8 KiB buffer, pinned and 64-byte aligned as the C side's static buffer is, so that neither side's
    // messages straddle cache lines differently from the other's.
    private static readonly byte[] BufferStorage = GC.AllocateArray<byte>(8192 + 64, pinned: true);
    private static readonly int BufferOffset = CacheLineOffset(BufferStorage);
    private static uint s_sink;

    /// <summary>Every case this program implements; add new ones here.</summary>
    private static readonly (string Name, Action Setup, Func<long, double> Measure, Func<Span<byte>, int> Run)[] Cases =
    [
        Describe<EncodeVethCreate>(),
        Describe<EncodeAddressAdd>(),
    ];

    private static Span<byte> Buffer => BufferStorage.AsSpan(BufferOffset, 8192);

    private static string Implementation => "LinuxIsolation (" + RuntimeInformation.FrameworkDescription + ")";

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "list")
        {
            foreach (var c in Cases)
            {
                Console.WriteLine(c.Name);
            }

            Console.WriteLine(ContainerNetworkCase.Name);
            Console.WriteLine(CgroupLifecycleCase.Name);
            Console.WriteLine(NatInstallCase.Name);
            Console.WriteLine(SpawnCase.PidMountUtsIpc);
            Console.WriteLine(SpawnCase.PidMountUtsIpcNet);
            Console.WriteLine(SpawnCase.PidMountUtsIpcSeccomp);
            return 0;
        }

        if (args.Length == 2 && args[0] == "verify" && SpawnCase.Is(args[1]))
        {
            Console.Write(SpawnCase.Verify(args[1]));
            return 0;
        }

        if (args.Length >= 3 && args[0] == "bench" && SpawnCase.Is(args[2]) && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int spawns) && spawns > 0)
        {
            for (int i = 2; i < args.Length; i++)
            {
                SpawnCase.Print(args[i], Implementation, spawns, SpawnCase.Measure(args[i], spawns));
            }

            return 0;
        }

        if (args.Length >= 2 && args.AsSpan(args[0] is "verify" or "ruleset" ? 1 : 2).Contains(NatInstallCase.Name))
        {
            return RunNatCase(args);
        }

        // The seed's NAT ruleset as the other implementations feed it to their tools (same source, same rules).
        if (args.Length == 1 && args[0] == "nat-script")
        {
            Console.Write(NftNatBackend.ToNftScript(NatInstallCase.Ruleset, NftFamily.Inet));
            return 0;
        }

        if (args.Length == 1 && args[0] == "nat-restore")
        {
            Console.Write(IptablesNatBackend.BuildRestoreInput(NatInstallCase.Ruleset, ipv6: false, currentSave: string.Empty));
            return 0;
        }

        if (args.Length >= 2 && args.AsSpan(args[0] == "verify" ? 1 : 2).Contains(CgroupLifecycleCase.Name))
        {
            return RunCgroupCase(args);
        }

        if (args.Length >= 2 && args.AsSpan(args[0] == "verify" ? 1 : 2).Contains(ContainerNetworkCase.Name))
        {
            return RunSetupCase(args);
        }

        if (args.Length == 2 && args[0] == "verify")
        {
            int index = Find(args[1]);
            if (index < 0)
            {
                return 2;
            }

            Cases[index].Setup();
            Buffer.Fill(0xFF);
            int length = Cases[index].Run(Buffer);
            Console.WriteLine(Convert.ToHexStringLower(Buffer.Slice(0, length)));
            return 0;
        }

        if (args.Length >= 2 && args[0] == "bench" && long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out long iterations) && iterations > 0)
        {
            var selected = new List<int>();
            for (int i = 2; i < args.Length; i++)
            {
                int index = Find(args[i]);
                if (index < 0)
                {
                    Console.Error.WriteLine($"compare: no case \"{args[i]}\"");
                }
                else
                {
                    selected.Add(index);
                }
            }

            if (args.Length == 2)
            {
                for (int i = 0; i < Cases.Length; i++)
                {
                    selected.Add(i);
                }
            }

            foreach (int index in selected)
            {
                Cases[index].Setup();
                double nsPerOp = Cases[index].Measure(iterations);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Cases[index].Name}\t{Implementation}\t{nsPerOp:F2}\t{iterations}"));
            }

            return 0;
        }

        Console.Error.WriteLine("usage: LinuxIsolation.Compare list | verify CASE | bench ITERATIONS [CASE...]");
        return 1;
    }

    /// <summary>
    /// "setup container-network" (<c>verify</c>, or <c>bench CONTAINERS</c> with it as the only case): one warm-up
    /// run of up to 10 containers, then COMPARE_SETUP_RUNS (default 5) timed runs of CONTAINERS; prints the best
    /// wall-clock and the best CPU ns per container as two rows, then the best setup-only and teardown-only wall clock
    /// per container (the teardown of all CONTAINERS returns in CONTAINERS times that).
    /// </summary>
    private static int RunSetupCase(string[] args)
    {
        using var setup = new ContainerNetworkCase();
        if (args[0] == "verify")
        {
            Console.Write(setup.Verify());
            return 0;
        }

        if (args[0] != "bench" || args.Length != 3 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
        {
            Console.Error.WriteLine("usage: LinuxIsolation.Compare bench CONTAINERS \"setup container-network\"");
            return 1;
        }

        int runs = int.TryParse(Environment.GetEnvironmentVariable("COMPARE_SETUP_RUNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 5;
        // The warm-up is a whole run: .NET compiles the hot methods again, optimised, in the background (tiered
        // compilation) during roughly the first few hundred calls, and that CPU time belongs to start-up, not to
        // the steady state every other implementation (compiled ahead of time) is measured in.
        setup.RunOnce(n);
        double bestWall = double.MaxValue, bestCpu = double.MaxValue, bestSetup = double.MaxValue, bestTeardown = double.MaxValue;
        for (int run = 0; run < runs; run++)
        {
            (double wall, double cpu, double setupWall, double teardownWall) = setup.RunOnce(n);
            bestWall = Math.Min(bestWall, wall);
            bestCpu = Math.Min(bestCpu, cpu);
            bestSetup = Math.Min(bestSetup, setupWall);
            bestTeardown = Math.Min(bestTeardown, teardownWall);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ContainerNetworkCase.Name} (wall clock)\t{Implementation}\t{bestWall:F0}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ContainerNetworkCase.Name} (CPU time)\t{Implementation}\t{bestCpu:F0}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ContainerNetworkCase.Name}, setup only (wall clock)\t{Implementation}\t{bestSetup:F0}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ContainerNetworkCase.Name}, teardown only (wall clock)\t{Implementation}\t{bestTeardown:F0}\t{n}"));
        return 0;
    }

    /// <summary>
    /// "setup nat-install" (<c>verify</c>: <c>nat-world describe</c> after one apply; <c>ruleset</c>: <c>nft list ruleset</c>
    /// after one apply; <c>bench APPLIES</c>): one warm-up run of up to 10 applies, then COMPARE_SETUP_RUNS (default 5)
    /// timed runs of APPLIES; prints the best wall-clock ns per apply.
    /// </summary>
    private static int RunNatCase(string[] args)
    {
        using var nat = new NatInstallCase();
        if (args[0] is "verify" or "ruleset")
        {
            Console.Write(nat.Verify(args[0] == "verify" ? "describe" : "ruleset"));
            return 0;
        }

        if (args[0] != "bench" || args.Length != 3 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
        {
            Console.Error.WriteLine("usage: LinuxIsolation.Compare bench APPLIES \"setup nat-install\"");
            return 1;
        }

        int runs = int.TryParse(Environment.GetEnvironmentVariable("COMPARE_SETUP_RUNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 5;
        nat.RunOnce(Math.Min(n, 10));
        double best = double.MaxValue;
        for (int run = 0; run < runs; run++)
        {
            best = Math.Min(best, nat.RunOnce(n));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{NatInstallCase.Name} (wall clock)\t{Implementation}\t{best:F0}\t{n}"));
        return 0;
    }

    /// <summary>
    /// "setup cgroup-lifecycle" (<c>verify</c>, or <c>bench CYCLES</c> with it as the only case): one warm-up run of
    /// up to 10 lifecycles, then COMPARE_SETUP_RUNS (default 3) timed runs of CYCLES; prints the best wall-clock and
    /// the best CPU ns per lifecycle as two rows.
    /// </summary>
    private static int RunCgroupCase(string[] args)
    {
        using var lifecycle = new CgroupLifecycleCase();
        if (args[0] == "verify")
        {
            Console.Write(lifecycle.Verify());
            return 0;
        }

        if (args[0] != "bench" || args.Length != 3 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
        {
            Console.Error.WriteLine("usage: LinuxIsolation.Compare bench CYCLES \"setup cgroup-lifecycle\"");
            return 1;
        }

        int runs = int.TryParse(Environment.GetEnvironmentVariable("COMPARE_SETUP_RUNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r > 0 ? r : 3;
        lifecycle.RunOnce(Math.Min(n, 10));
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        for (int run = 0; run < runs; run++)
        {
            (double wall, double cpu) = lifecycle.RunOnce(n);
            bestWall = Math.Min(bestWall, wall);
            bestCpu = Math.Min(bestCpu, cpu);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{CgroupLifecycleCase.Name} (wall clock)\t{Implementation}\t{bestWall:F0}\t{n}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{CgroupLifecycleCase.Name} (CPU time)\t{Implementation}\t{bestCpu:F0}\t{n}"));
        return 0;
    }

    private static int Find(string name) => Array.FindIndex(Cases, c => c.Name == name);

    private static (string, Action, Func<long, double>, Func<Span<byte>, int>) Describe<T>() where T : struct, ICompareCase =>
        (T.Name, T.Setup, Measure<T>, buffer => T.Run(buffer));

    /// <summary>Warms up for 0.5 s (the JIT reaches its optimised tier), then returns the ns/op of the best of 15 runs.</summary>
    private static double Measure<T>(long iterations) where T : struct, ICompareCase
    {
        long warmEnd = Stopwatch.GetTimestamp() + WarmupTicks;
        while (Stopwatch.GetTimestamp() < warmEnd)
        {
            RunOnce<T>(iterations / 100 + 1);
        }

        var results = new double[Runs];
        for (int r = 0; r < Runs; r++)
        {
            results[r] = RunOnce<T>(iterations);
        }

        Array.Sort(results);
        return results[0];
    }

    private static double RunOnce<T>(long iterations) where T : struct, ICompareCase
    {
        Span<byte> buffer = Buffer;
        uint sink = 0;
        long start = ThreadCpuNanoseconds();
        for (long i = 0; i < iterations; i++)
        {
            sink += (uint)T.Run(buffer);
        }

        long elapsed = ThreadCpuNanoseconds() - start;
        s_sink += sink;
        return (double)elapsed / iterations;
    }

    private static unsafe int CacheLineOffset(byte[] pinned)
    {
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((64 - (address & 63)) & 63);
    }

    /// <summary>CPU time of the calling thread: time spent descheduled on a busy machine does not count.</summary>
    private static unsafe long ThreadCpuNanoseconds()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        long* timespec = stackalloc long[2];
        if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, timespec) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return timespec[0] * 1_000_000_000 + timespec[1];
    }

    [LibraryImport("libc")]
    private static unsafe partial int clock_gettime(int clockId, long* timespec);
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// The fuzzing harness (issue 8 item 1). Usage:
/// <c>dotnet LinuxIsolation.Fuzz.dll [--family netlink,rtnetlink,nftables,socket,mountinfo,cgroup,iptables] [--inputs N] [--seed S]
/// [--start I] [--crash-dir DIR] [--progress N] [--replay FILE]</c>; <c>--write-seeds DIR</c> and <c>--afl</c> serve the
/// coverage-guided mode (afl.sh), <c>--generate-only</c> measures the mutators alone. Prints one line per family and, last,
/// "N passed, M failed" (one pass per family without failures); exits 1 on any failure.
/// </summary>
internal static class Program
{
    private static readonly string[] AllFamilies = ["netlink", "rtnetlink", "nftables", "socket", "mountinfo", "cgroup", "iptables"];

    private static int Main(string[] args)
    {
        var families = new List<string>();
        long inputs = 200_000, start = 0, progress = 0;
        ulong seed = (ulong)DateTime.UtcNow.Ticks % 1_000_000_007UL;
        string crashDirectory = "fuzz-crashes";
        string? replay = null;
        bool generateOnly = false, afl = false;
        string? writeSeeds = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--family": families.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries)); i++; break;
                case "--inputs": inputs = long.Parse(value.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture); i++; break;
                case "--seed": seed = ulong.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--start": start = long.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--progress": progress = long.Parse(value, CultureInfo.InvariantCulture); i++; break;
                case "--crash-dir": crashDirectory = value; i++; break;
                case "--replay": replay = value; i++; break;
                case "--generate-only": generateOnly = true; break;
                case "--afl": afl = true; break;
                case "--write-seeds": writeSeeds = value; i++; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; options: --family {string.Join(',', AllFamilies)} --inputs N --seed S --start I --crash-dir DIR --progress N --replay FILE --write-seeds DIR --afl --generate-only");
                    return 2;
            }
        }

        if (families.Count == 0)
        {
            families.AddRange(AllFamilies);
        }

        if (families.FirstOrDefault(f => !AllFamilies.Contains(f)) is { } unknown)
        {
            Console.Error.WriteLine($"unknown family {unknown}; families: {string.Join(',', AllFamilies)}");
            return 2;
        }

        using var guard = new GuardPage(64 * 1024);
        List<(string File, byte[] Datagram)> datagrams = Corpus.NetlinkDatagrams();
        if (replay is not null)
        {
            return Runner.Replay(Create(families[0], datagrams, guard), replay);
        }

        if (writeSeeds is not null)
        {
            Family family = Create(families[0], datagrams, guard);
            System.IO.Directory.CreateDirectory(writeSeeds);
            int n = 0;
            foreach (byte[] input in family.SeedInputs())
            {
                System.IO.File.WriteAllBytes(System.IO.Path.Combine(writeSeeds, $"{family.Name}-{n++:D4}"), input);
            }

            Console.WriteLine($"{n} seed inputs of {family.Name} written to {writeSeeds}");
            return 0;
        }

        if (afl)
        {
            // Coverage-guided mode, under afl-fuzz with SharpFuzz-instrumented libraries (tests/Fuzz/afl.sh): an exception
            // other than the documented one escapes and afl-fuzz records the input as a crash.
            Family family = Create(families[0], datagrams, guard);
            SharpFuzz.Fuzzer.Run(stream =>
            {
                using var copy = new System.IO.MemoryStream();
                stream.CopyTo(copy);
                family.Run(copy.ToArray());
            });
            return 0;
        }

        Console.WriteLine($"fuzz: seed {seed}, inputs {start:N0}..{start + inputs - 1:N0} per family, .NET {Environment.Version}, property-based with structure-aware mutations (no coverage feedback)");
        var runner = new Runner(crashDirectory, maxSaved: 20) { GenerateOnly = generateOnly };
        var results = new List<FamilyResult>();
        foreach (string name in families)
        {
            Family family = Create(name, datagrams, guard);
            FamilyResult r = runner.Run(family, seed, start, inputs, progress);
            results.Add(r);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Family,-10} {r.Inputs,12:N0} inputs {r.Elapsed.TotalSeconds,8:F1} s {r.Inputs / Math.Max(r.Elapsed.TotalSeconds, 1e-9),10:N0}/s  seeds {family.SeedCount,4}  rejected (documented) {100.0 * r.Rejected / Math.Max(r.Inputs, 1),5:F1}%  distinct rejections {r.DistinctRejections,5}  failures {r.Failures} ({r.DistinctFailures} distinct)"));
            Console.WriteLine($"           decoders: {family.Decoders}; documented exception: {family.DocumentedException}");
        }

        int passed = 0, failed = 0;
        foreach (FamilyResult r in results)
        {
            if (r.Failures == 0)
            {
                passed++;
                Console.WriteLine($"PASS fuzz {r.Family} ({r.Inputs:N0} inputs, seed {seed})");
            }
            else
            {
                failed++;
                Console.WriteLine($"FAIL fuzz {r.Family}: {r.Failures} failing inputs, {r.DistinctFailures} distinct (seed {seed}); inputs saved under {crashDirectory}");
            }
        }

        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static Family Create(string name, List<(string File, byte[] Datagram)> datagrams, GuardPage guard) => name switch
    {
        "netlink" => new NetlinkFamily(datagrams.Select(d => d.Datagram).ToList(), guard),
        "rtnetlink" => new RtnetlinkFamily(datagrams.Where(d => !Corpus.IsNftables(d.Datagram)).Select(d => d.Datagram).ToList(), guard),
        "nftables" => new NftablesFamily(datagrams.Where(d => Corpus.IsNftables(d.Datagram)).Select(d => d.Datagram).ToList(), guard),
        "socket" => new SocketFamily(datagrams.Select(d => d.Datagram).ToList(), guard),
        "mountinfo" => new MountinfoFamily(Corpus.Texts("mountinfo")),
        "cgroup" => new CgroupFamily(Corpus.Texts("cgroup")),
        "iptables" => new IptablesFamily(Corpus.Texts("iptables")),
        _ => throw new ArgumentException($"unknown family {name}", nameof(name)),
    };
}

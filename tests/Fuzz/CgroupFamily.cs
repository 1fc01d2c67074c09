using System;
using System.Collections.Generic;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// cgroup v2 interface files: <c>CgroupParser.ParseFlatKeyed</c> (memory.stat, cpu.stat, pids.events, ...),
/// <c>ParseNestedKeyed</c> (io.stat, io.max, PSI), <c>ParseValue</c> (single values, "max"), and the typed
/// parsers <c>CpuStatistics</c>, <c>MemoryEvents</c>, <c>CgroupEventsState</c>, <c>PressureStatistics</c>,
/// <c>IoStatistics</c>, plus <see cref="MemoryStatistics"/> built as <c>Cgroup.GetMemoryStatistics</c> builds it.
/// Documented: nothing is thrown; malformed lines are skipped and unreadable values read as 0.
/// </summary>
internal sealed class CgroupFamily : Family
{
    private readonly TextMutator _mutator;
    private long _sink;

    public CgroupFamily(IReadOnlyList<string> seeds) => _mutator = new TextMutator(seeds);

    public override string Name => "cgroup";

    public override string Decoders => "CgroupParser.ParseFlatKeyed/ParseNestedKeyed/ParseValue/ParseProcessIds/ParseCpuMaxQuota, CpuStatistics, MemoryEvents, CgroupEventsState, PressureStatistics, IoStatistics, MemoryStatistics";

    public override string DocumentedException => "none (malformed lines skipped, unreadable values 0)";

    public override int SeedCount => _mutator.SeedCount;

    public override IEnumerable<byte[]> SeedInputs() => _mutator.SeedTexts();

    public override byte[] NextInput(ref Rng rng) => _mutator.Next(ref rng);

    protected override void Decode(byte[] input)
    {
        string text = AsText(input);
        Dictionary<string, long> flat = CgroupParser.ParseFlatKeyed(text);
        _sink += flat.Count;
        foreach ((string key, Dictionary<string, string> values) in CgroupParser.ParseNestedKeyed(text))
        {
            _sink += key.Length + values.Count;
        }

        _sink += CgroupParser.ParseValue(text);
        _sink += CgroupParser.ParseProcessIds(text).Count;
        _sink += CgroupParser.ParseCpuMaxQuota(text).Length;
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        _sink += CgroupParser.ParseValue(newline < 0 ? text : text.AsSpan(0, newline));
        _sink += CpuStatistics.Parse(text).ToString().Length;
        _sink += MemoryEvents.Parse(text).ToString().Length;
        _sink += CgroupEventsState.Parse(text).ToString().Length;
        _sink += PressureStatistics.Parse(text).ToString().Length;
        IoStatistics io = IoStatistics.Parse(text);
        foreach (IoDeviceStatistics device in io.Devices)
        {
            _sink += device.ToString().Length;
        }

        var memory = new MemoryStatistics(CgroupParser.ParseValue(text), null, null, flat);
        _sink += memory.Anon + memory.File + memory.Kernel + memory.Shmem + memory.PageFaults + memory.MajorPageFaults;
    }
}

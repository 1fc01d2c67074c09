using System.Collections.Generic;
using System.Linq;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>Reads cpu.stat (present with or without the cpu controller). Equivalent to <c>cat cpu.stat</c>. Linux 4.15.</summary>
    public CpuStatistics GetCpuStatistics() => CpuStatistics.Parse(CgroupFiles.Read(this, "cpu.stat"));

    /// <summary>
    /// Reads memory.current, memory.peak, memory.swap.current and memory.stat. Needs the memory controller (else a
    /// <see cref="CgroupControllerUnavailableException"/> saying why). Equivalent to <c>cat memory.stat</c>.
    /// </summary>
    public MemoryStatistics GetMemoryStatistics()
    {
        long current = CgroupParser.ParseValue(ReadFileRequiring("memory", "memory.current"));
        string? peak = CgroupFiles.TryRead(this, "memory.peak");
        string? swap = CgroupFiles.TryRead(this, "memory.swap.current");
        return new MemoryStatistics(
            current,
            peak is null ? null : CgroupParser.ParseValue(peak),
            swap is null ? null : CgroupParser.ParseValue(swap),
            CgroupParser.ParseFlatKeyed(CgroupFiles.Read(this, "memory.stat")));
    }

    /// <summary>Reads pids.current, pids.peak, pids.max and pids.events. Needs the pids controller. Equivalent to <c>cat pids.current</c>.</summary>
    public PidsStatistics GetPidsStatistics()
    {
        long current = CgroupParser.ParseValue(ReadFileRequiring("pids", "pids.current"));
        string? peak = CgroupFiles.TryRead(this, "pids.peak");
        string? events = CgroupFiles.TryRead(this, "pids.events");
        long? hits = null;
        if (events is not null && CgroupParser.ParseFlatKeyed(events).TryGetValue("max", out long h))
        {
            hits = h;
        }

        return new PidsStatistics(current, peak is null ? null : CgroupParser.ParseValue(peak),
            CgroupParser.ParseValue(CgroupFiles.Read(this, "pids.max")), hits);
    }

    /// <summary>Reads io.stat. Needs the io controller. Equivalent to <c>cat io.stat</c>.</summary>
    public IoStatistics GetIoStatistics() => IoStatistics.Parse(ReadFileRequiring("io", "io.stat"));

    /// <summary>Reads a PSI pressure file (Linux 4.20 with CONFIG_PSI). Equivalent to <c>cat memory.pressure</c>.</summary>
    /// <param name="resource">Which resource.</param>
    public PressureStatistics GetPressure(PressureResource resource) => PressureStatistics.Parse(CgroupFiles.Read(this, PressureFile(resource)));

    /// <summary>Reads every statistic this cgroup has; parts whose controller is not enabled are null.</summary>
    public CgroupStatistics GetStatistics()
    {
        IReadOnlyList<string> controllers = IsRoot ? [] : GetAvailableControllers();
        return new CgroupStatistics(
            GetCpuStatistics(),
            controllers.Contains("memory") ? GetMemoryStatistics() : null,
            controllers.Contains("pids") ? GetPidsStatistics() : null,
            controllers.Contains("io") && CgroupFiles.TryRead(this, "io.stat") is { } io ? IoStatistics.Parse(io) : null,
            TryPressure(PressureResource.Cpu),
            TryPressure(PressureResource.Memory),
            TryPressure(PressureResource.Io));
    }

    private PressureStatistics? TryPressure(PressureResource resource)
    {
        // Reading a pressure file fails with EOPNOTSUPP when PSI is off (psi=0), ENOENT without CONFIG_PSI.
        try
        {
            string? text = CgroupFiles.TryRead(this, PressureFile(resource));
            return text is null ? null : PressureStatistics.Parse(text);
        }
        catch (CgroupException e) when (e.Errno == LinuxIsolation.Errno.EOPNOTSUPP)
        {
            return null;
        }
    }

    private static string PressureFile(PressureResource resource) => resource switch
    {
        PressureResource.Cpu => "cpu.pressure",
        PressureResource.Memory => "memory.pressure",
        PressureResource.Io => "io.pressure",
        _ => throw new System.ArgumentOutOfRangeException(nameof(resource)),
    };
}

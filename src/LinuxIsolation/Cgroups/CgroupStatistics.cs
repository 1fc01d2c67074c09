namespace LinuxIsolation.Cgroups;

/// <summary>Everything <see cref="Cgroup.GetStatistics"/> could read; a part whose files do not exist (controller not enabled) is null.</summary>
/// <param name="Cpu">cpu.stat (always present in v2).</param>
/// <param name="Memory">memory.*, or null without the memory controller.</param>
/// <param name="Pids">pids.*, or null without the pids controller.</param>
/// <param name="Io">io.stat, or null without the io controller.</param>
/// <param name="CpuPressure">cpu.pressure, or null without PSI.</param>
/// <param name="MemoryPressure">memory.pressure, or null without PSI.</param>
/// <param name="IoPressure">io.pressure, or null without PSI.</param>
public sealed record CgroupStatistics(
    CpuStatistics Cpu,
    MemoryStatistics? Memory,
    PidsStatistics? Pids,
    IoStatistics? Io,
    PressureStatistics? CpuPressure,
    PressureStatistics? MemoryPressure,
    PressureStatistics? IoPressure);

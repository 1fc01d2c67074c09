namespace LinuxIsolation.Cgroups;

/// <summary>The resources with PSI pressure files in a cgroup (Linux 4.20, CONFIG_PSI).</summary>
public enum PressureResource
{
    /// <summary>cpu.pressure.</summary>
    Cpu,

    /// <summary>memory.pressure.</summary>
    Memory,

    /// <summary>io.pressure.</summary>
    Io,
}

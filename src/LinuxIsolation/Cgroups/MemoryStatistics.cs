using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>Memory accounting of a cgroup and its descendants, in bytes unless said otherwise. Memory controller.</summary>
/// <param name="Current">memory.current: the memory in use now.</param>
/// <param name="Peak">memory.peak: the most ever in use (Linux 5.19), or null where the kernel lacks it.</param>
/// <param name="SwapCurrent">memory.swap.current, or null without swap accounting.</param>
/// <param name="Stat">memory.stat, every key as the kernel names it ("anon", "file", "pgfault", ...).</param>
public sealed record MemoryStatistics(long Current, long? Peak, long? SwapCurrent, IReadOnlyDictionary<string, long> Stat)
{
    /// <summary>memory.stat anon: anonymous memory (heap, stacks, tmpfs not included).</summary>
    public long Anon => Stat.GetValueOrDefault("anon");

    /// <summary>memory.stat file: page cache.</summary>
    public long File => Stat.GetValueOrDefault("file");

    /// <summary>memory.stat kernel: kernel memory (Linux 5.18), 0 where absent.</summary>
    public long Kernel => Stat.GetValueOrDefault("kernel");

    /// <summary>memory.stat shmem: shared memory and tmpfs.</summary>
    public long Shmem => Stat.GetValueOrDefault("shmem");

    /// <summary>memory.stat pgfault: page faults (a count).</summary>
    public long PageFaults => Stat.GetValueOrDefault("pgfault");

    /// <summary>memory.stat pgmajfault: major page faults (a count).</summary>
    public long MajorPageFaults => Stat.GetValueOrDefault("pgmajfault");
}

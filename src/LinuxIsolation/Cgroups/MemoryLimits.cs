namespace LinuxIsolation.Cgroups;

/// <summary>
/// Memory controller limits, in bytes; null leaves a file alone, <see cref="CgroupResources.Unlimited"/> writes
/// "max". Needs the memory controller (Linux 4.5; memory.min 4.18; memory.oom.group 4.19).
/// </summary>
public sealed record MemoryLimits
{
    /// <summary>memory.max: the hard limit; over it the OOM killer runs in the cgroup.</summary>
    public long? Max { get; init; }

    /// <summary>memory.high: the throttle limit; over it the cgroup is reclaimed hard and slowed.</summary>
    public long? High { get; init; }

    /// <summary>memory.low: best-effort protection from reclaim.</summary>
    public long? Low { get; init; }

    /// <summary>memory.min: hard protection from reclaim (Linux 4.18).</summary>
    public long? Min { get; init; }

    /// <summary>memory.swap.max: the swap limit (needs swap accounting).</summary>
    public long? SwapMax { get; init; }

    /// <summary>memory.oom.group: when true, an OOM kill takes the whole cgroup (Linux 4.19).</summary>
    public bool? OomGroup { get; init; }

    internal void Validate()
    {
        CgroupResources.CheckLimit(Max, nameof(Max));
        CgroupResources.CheckLimit(High, nameof(High));
        CgroupResources.CheckLimit(Low, nameof(Low));
        CgroupResources.CheckLimit(Min, nameof(Min));
        CgroupResources.CheckLimit(SwapMax, nameof(SwapMax));
    }
}

namespace LinuxIsolation.Cgroups;

/// <summary>Pids controller limits (Linux 4.5); null leaves the file alone.</summary>
public sealed record PidsLimits
{
    /// <summary>pids.max: most tasks (processes and threads) in the cgroup; fork and clone fail with EAGAIN beyond it.</summary>
    public long? Max { get; init; }

    internal void Validate() => CgroupResources.CheckLimit(Max, nameof(Max));
}

namespace LinuxIsolation.Cgroups;

/// <summary>Task counts of a cgroup and its descendants. Pids controller (Linux 4.5).</summary>
/// <param name="Current">pids.current: tasks (processes and threads) now.</param>
/// <param name="Peak">pids.peak: the most at once (Linux 6.1), or null.</param>
/// <param name="Max">pids.max: the limit, or <see cref="CgroupResources.Unlimited"/> for "max".</param>
/// <param name="LimitHits">pids.events max: forks refused because of the limit, or null.</param>
public sealed record PidsStatistics(long Current, long? Peak, long Max, long? LimitHits);

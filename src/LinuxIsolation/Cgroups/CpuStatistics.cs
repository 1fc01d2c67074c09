using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// cpu.stat of a cgroup and its descendants. usage/user/system exist without the cpu controller (Linux 4.15);
/// the throttling fields need it and are null otherwise.
/// </summary>
/// <param name="UsageMicroseconds">usage_usec: CPU time used.</param>
/// <param name="UserMicroseconds">user_usec.</param>
/// <param name="SystemMicroseconds">system_usec.</param>
/// <param name="Periods">nr_periods: enforcement periods that elapsed with the cgroup runnable.</param>
/// <param name="Throttled">nr_throttled: periods in which it ran out of quota.</param>
/// <param name="ThrottledMicroseconds">throttled_usec: time spent throttled.</param>
/// <param name="All">Every key of cpu.stat as the kernel names it (nr_bursts, burst_usec, core_sched.force_idle_usec, ...).</param>
public sealed record CpuStatistics(
    long UsageMicroseconds,
    long UserMicroseconds,
    long SystemMicroseconds,
    long? Periods,
    long? Throttled,
    long? ThrottledMicroseconds,
    IReadOnlyDictionary<string, long> All)
{
    internal static CpuStatistics Parse(string text)
    {
        var v = CgroupParser.ParseFlatKeyed(text);
        return new CpuStatistics(
            v.GetValueOrDefault("usage_usec"), v.GetValueOrDefault("user_usec"), v.GetValueOrDefault("system_usec"),
            v.TryGetValue("nr_periods", out long p) ? p : null,
            v.TryGetValue("nr_throttled", out long t) ? t : null,
            v.TryGetValue("throttled_usec", out long tu) ? tu : null,
            v);
    }
}

using System;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// CPU controller limits (Linux 4.15 in v2); null leaves a file alone. cpu.max holds "QUOTA PERIOD": the cgroup
/// may run QUOTA microseconds per PERIOD microseconds across all CPUs.
/// </summary>
public sealed record CpuLimits
{
    /// <summary>The quota in microseconds per period, or <see cref="CgroupResources.Unlimited"/> for "max".</summary>
    public long? QuotaMicroseconds { get; init; }

    /// <summary>The period in microseconds, 1000 to 1000000 (the kernel's default is 100000).</summary>
    public long? PeriodMicroseconds { get; init; }

    /// <summary>cpu.weight: the share under contention, 1 to 10000 (default 100).</summary>
    public int? Weight { get; init; }

    /// <summary>
    /// Limits to <paramref name="percent"/> percent of one CPU (150 = one and a half CPUs): cpu.max becomes
    /// "percent × period / 100 period". Equivalent to <c>echo "10000 100000" &gt; cpu.max</c> for 10 %.
    /// </summary>
    /// <param name="percent">More than 0; the quota must come to at least 1000 µs.</param>
    /// <param name="periodMicroseconds">The period (default 100000 µs).</param>
    public static CpuLimits FromPercentOfOneCpu(double percent, long periodMicroseconds = 100_000)
    {
        if (!(percent > 0) || double.IsInfinity(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "percent must be more than 0");
        }

        long quota = (long)Math.Round(percent * periodMicroseconds / 100.0);
        var limits = new CpuLimits { QuotaMicroseconds = quota, PeriodMicroseconds = periodMicroseconds };
        limits.Validate();
        return limits;
    }

    internal void Validate()
    {
        if (QuotaMicroseconds is { } q && q != CgroupResources.Unlimited && q < 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(QuotaMicroseconds), q, "the cpu.max quota must be at least 1000 µs (or Unlimited)");
        }

        if (PeriodMicroseconds is < 1000 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(PeriodMicroseconds), PeriodMicroseconds, "the cpu.max period must be 1000 to 1000000 µs");
        }

        if (Weight is < 1 or > 10000)
        {
            throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "cpu.weight must be 1 to 10000");
        }
    }
}

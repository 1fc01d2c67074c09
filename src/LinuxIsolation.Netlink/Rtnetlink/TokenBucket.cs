using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// The settings of a token bucket filter qdisc (<c>tbf</c>): the rate it lets through, the bucket that absorbs bursts,
/// and how much may wait (a queue limit in bytes, or a latency it is computed from), as <c>tc qdisc add ... tbf rate R
/// burst B latency L|limit N [peakrate P minburst M]</c> takes them. Rates and sizes are in bytes, the kernel's units
/// (tc's <c>1mbit</c> is 125,000 bytes per second; its <c>32kb</c> is 32,768 bytes).
/// </summary>
/// <remarks>
/// A listed qdisc gives back the rate, the burst (recomputed from the bucket's time, as tc does), the limit and the
/// peak settings; <see cref="Latency"/> is then null (the kernel keeps only the limit).
/// </remarks>
public sealed record TokenBucket
{
    /// <summary>The rate in bytes per second (<c>rate</c>; rates from 2^32 bytes/s travel in <c>TCA_TBF_RATE64</c>, Linux 3.13).</summary>
    public required ulong RateBytesPerSecond { get; init; }

    /// <summary>The bucket size in bytes (<c>burst</c>/<c>buffer</c>): how much may leave at once at line rate; at least the MTU plus the link header, or full-size packets never pass.</summary>
    public required uint BurstBytes { get; init; }

    /// <summary>The longest a packet may wait (<c>latency</c>); the queue limit is then rate × latency + burst. Exactly one of this and <see cref="LimitBytes"/> is needed to add a qdisc.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>How many bytes may wait in the queue (<c>limit</c>).</summary>
    public uint? LimitBytes { get; init; }

    /// <summary>The peak rate in bytes per second (<c>peakrate</c>): a second bucket of <see cref="MinimumBurstBytes"/> that limits how fast the first empties.</summary>
    public ulong? PeakRateBytesPerSecond { get; init; }

    /// <summary>The peak bucket's size in bytes (<c>mtu</c>/<c>minburst</c>), needed with <see cref="PeakRateBytesPerSecond"/>; the link's MTU plus its header at least.</summary>
    public uint? MinimumBurstBytes { get; init; }

    /// <summary>
    /// Settings from bits, as the CNI bandwidth plugin is configured (<c>rate</c> and <c>burst</c> in bits) with its
    /// latency of 25 ms: <c>tc qdisc add dev DEV root handle 1: tbf rate RATEbit burst BURSTbit latency 25ms</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is below 8 bits, or the burst exceeds 2^32 bytes.</exception>
    public static TokenBucket FromBits(ulong rateBitsPerSecond, ulong burstBits, TimeSpan? latency = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rateBitsPerSecond, 8UL);
        ArgumentOutOfRangeException.ThrowIfLessThan(burstBits, 8UL);
        if (burstBits / 8 > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(burstBits), burstBits, "A burst is at most 2^32-1 bytes.");
        }

        return new TokenBucket
        {
            RateBytesPerSecond = rateBitsPerSecond / 8,
            BurstBytes = (uint)(burstBits / 8),
            Latency = latency ?? TimeSpan.FromMilliseconds(25),
        };
    }

    /// <summary>
    /// Checks the settings as tc does before sending them: a rate and a burst, a latency or a limit (not both), a
    /// minimum burst with a peak rate, a burst the kernel can express (its time at the rate fits 32 bits of psched ticks).
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public void Validate(string paramName)
    {
        if (RateBytesPerSecond == 0)
        {
            throw new ArgumentException("A token bucket needs a rate (tbf: the \"rate\" parameter is mandatory).", paramName);
        }

        if (BurstBytes == 0)
        {
            throw new ArgumentException("A token bucket needs a burst (tbf: the \"burst\" parameter is mandatory).", paramName);
        }

        if (Latency is null == LimitBytes is null)
        {
            throw new ArgumentException("A token bucket needs either a latency or a limit, not both (tbf: either \"limit\" or \"latency\" is required).", paramName);
        }

        if (Latency is TimeSpan l && (l <= TimeSpan.Zero || l.Ticks / TimeSpan.TicksPerMicrosecond > uint.MaxValue))
        {
            throw new ArgumentException($"The latency {l} must be positive and below 2^32 microseconds.", paramName);
        }

        if (LimitBytes == 0)
        {
            throw new ArgumentException("A limit of 0 bytes would drop every packet.", paramName);
        }

        if (PeakRateBytesPerSecond is not null != MinimumBurstBytes is not null || PeakRateBytesPerSecond == 0 || MinimumBurstBytes == 0)
        {
            throw new ArgumentException("A peak rate and a minimum burst go together, both non-zero (tbf: when \"peakrate\" is specified, \"mtu\" must also be specified).", paramName);
        }

        if (TrafficControlMessages.TransmitTime(RateBytesPerSecond, BurstBytes) == uint.MaxValue)
        {
            throw new ArgumentException($"A burst of {BurstBytes} bytes at {RateBytesPerSecond} bytes/s is out of range (tbf: burst out of range).", paramName);
        }
    }
}

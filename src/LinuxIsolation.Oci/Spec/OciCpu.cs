using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources.cpu</c>: the cpu and cpuset controllers.</summary>
public sealed class OciCpu : OciObject
{
    /// <summary><c>shares</c>: the relative share (cgroup v1 cpu.shares, 2 to 262144; converted to cpu.weight).</summary>
    [JsonPropertyName("shares")]
    public ulong? Shares { get; set; }

    /// <summary><c>quota</c>: microseconds per period (cpu.max's quota; -1 for none).</summary>
    [JsonPropertyName("quota")]
    public long? Quota { get; set; }

    /// <summary><c>burst</c>: microseconds of accumulated time usable in a burst (cpu.max.burst, Linux 5.14); at most the quota.</summary>
    [JsonPropertyName("burst")]
    public ulong? Burst { get; set; }

    /// <summary><c>period</c>: the period in microseconds (cpu.max's period).</summary>
    [JsonPropertyName("period")]
    public ulong? Period { get; set; }

    /// <summary><c>realtimeRuntime</c>: cgroup v1 cpu.rt_runtime_us (no cgroup v2 equivalent).</summary>
    [JsonPropertyName("realtimeRuntime")]
    public long? RealtimeRuntime { get; set; }

    /// <summary><c>realtimePeriod</c>: cgroup v1 cpu.rt_period_us (no cgroup v2 equivalent).</summary>
    [JsonPropertyName("realtimePeriod")]
    public ulong? RealtimePeriod { get; set; }

    /// <summary><c>cpus</c>: cpuset.cpus ("0-3,7").</summary>
    [JsonPropertyName("cpus")]
    public string? Cpus { get; set; }

    /// <summary><c>mems</c>: cpuset.mems ("0-3,7").</summary>
    [JsonPropertyName("mems")]
    public string? Mems { get; set; }

    /// <summary><c>idle</c>: cpu.idle, 1 for SCHED_IDLE-like treatment (Linux 5.15).</summary>
    [JsonPropertyName("idle")]
    public long? Idle { get; set; }
}

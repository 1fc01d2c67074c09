using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.scheduler</c>: the scheduling policy and parameters (sched_setattr(2); <c>chrt</c>).</summary>
public sealed class OciScheduler : OciObject
{
    /// <summary><c>policy</c> (REQUIRED): SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE or SCHED_DEADLINE.</summary>
    [JsonPropertyName("policy")]
    public string? Policy { get; set; }

    /// <summary><c>nice</c>: the nice value (-20 to 19) for SCHED_OTHER and SCHED_BATCH.</summary>
    [JsonPropertyName("nice")]
    public int? Nice { get; set; }

    /// <summary><c>priority</c>: the static priority for SCHED_FIFO and SCHED_RR.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    /// <summary><c>flags</c>: SCHED_FLAG_* names.</summary>
    [JsonPropertyName("flags")]
    public IList<string>? Flags { get; set; }

    /// <summary><c>runtime</c>: SCHED_DEADLINE runtime in nanoseconds.</summary>
    [JsonPropertyName("runtime")]
    public ulong? Runtime { get; set; }

    /// <summary><c>deadline</c>: SCHED_DEADLINE deadline in nanoseconds.</summary>
    [JsonPropertyName("deadline")]
    public ulong? Deadline { get; set; }

    /// <summary><c>period</c>: SCHED_DEADLINE period in nanoseconds.</summary>
    [JsonPropertyName("period")]
    public ulong? Period { get; set; }
}

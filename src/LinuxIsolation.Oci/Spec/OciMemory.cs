using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources.memory</c>: bytes, -1 for unlimited.</summary>
public sealed class OciMemory : OciObject
{
    /// <summary><c>limit</c>: the hard limit (cgroup v2 memory.max).</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; set; }

    /// <summary><c>reservation</c>: the soft limit (cgroup v2 memory.low).</summary>
    [JsonPropertyName("reservation")]
    public long? Reservation { get; set; }

    /// <summary><c>swap</c>: memory plus swap (cgroup v2 memory.swap.max = swap - limit).</summary>
    [JsonPropertyName("swap")]
    public long? Swap { get; set; }

    /// <summary><c>kernel</c>: kernel memory (NOT RECOMMENDED; cgroup v1 only, ignored with a warning).</summary>
    [JsonPropertyName("kernel")]
    public long? Kernel { get; set; }

    /// <summary><c>kernelTCP</c>: kernel TCP buffer memory (NOT RECOMMENDED; cgroup v1 only).</summary>
    [JsonPropertyName("kernelTCP")]
    public long? KernelTcp { get; set; }

    /// <summary><c>swappiness</c>: 0 to 100 (cgroup v1 only).</summary>
    [JsonPropertyName("swappiness")]
    public ulong? Swappiness { get; set; }

    /// <summary><c>disableOOMKiller</c>: cgroup v1 only.</summary>
    [JsonPropertyName("disableOOMKiller")]
    public bool? DisableOomKiller { get; set; }

    /// <summary><c>useHierarchy</c>: cgroup v1 only (always hierarchical in v2).</summary>
    [JsonPropertyName("useHierarchy")]
    public bool? UseHierarchy { get; set; }

    /// <summary><c>checkBeforeUpdate</c>: refuse an update below the current usage (used by <c>update</c>).</summary>
    [JsonPropertyName("checkBeforeUpdate")]
    public bool? CheckBeforeUpdate { get; set; }
}

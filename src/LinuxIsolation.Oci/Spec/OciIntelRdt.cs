using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.intelRdt</c>: Intel Resource Director Technology through the resctrl file system.</summary>
public sealed class OciIntelRdt : OciObject
{
    /// <summary><c>closID</c>: the resctrl group (a directory of /sys/fs/resctrl); default the container id.</summary>
    [JsonPropertyName("closID")]
    public string? ClosId { get; set; }

    /// <summary><c>l3CacheSchema</c>: the L3 cache allocation schema ("L3:0=7f0;1=1f").</summary>
    [JsonPropertyName("l3CacheSchema")]
    public string? L3CacheSchema { get; set; }

    /// <summary><c>memBwSchema</c>: the memory bandwidth schema ("MB:0=20;1=70").</summary>
    [JsonPropertyName("memBwSchema")]
    public string? MemBwSchema { get; set; }

    /// <summary><c>enableCMT</c>: cache monitoring.</summary>
    [JsonPropertyName("enableCMT")]
    public bool? EnableCmt { get; set; }

    /// <summary><c>enableMBM</c>: memory bandwidth monitoring.</summary>
    [JsonPropertyName("enableMBM")]
    public bool? EnableMbm { get; set; }
}

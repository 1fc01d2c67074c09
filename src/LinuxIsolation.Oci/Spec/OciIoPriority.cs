using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.ioPriority</c>: the I/O scheduling class and level (ioprio_set(2); <c>ionice -c CLASS -n LEVEL</c>).</summary>
public sealed class OciIoPriority : OciObject
{
    /// <summary><c>class</c> (REQUIRED): IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE.</summary>
    [JsonPropertyName("class")]
    public string? Class { get; set; }

    /// <summary><c>priority</c>: the level within the class, 0 (highest) to 7 (lowest).</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; set; }
}

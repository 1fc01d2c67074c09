using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One clock's offset in <c>linux.timeOffsets</c> (time_namespaces(7)).</summary>
public sealed class OciTimeOffset : OciObject
{
    /// <summary><c>secs</c>: seconds.</summary>
    [JsonPropertyName("secs")]
    public long? Secs { get; set; }

    /// <summary><c>nanosecs</c>: nanoseconds.</summary>
    [JsonPropertyName("nanosecs")]
    public uint? Nanosecs { get; set; }
}

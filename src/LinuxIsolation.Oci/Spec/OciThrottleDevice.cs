using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of the <c>blockIO.throttle*Device</c> lists.</summary>
public sealed class OciThrottleDevice : OciObject
{
    /// <summary><c>major</c> (REQUIRED).</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary><c>minor</c> (REQUIRED).</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary><c>rate</c> (REQUIRED): bytes or operations per second.</summary>
    [JsonPropertyName("rate")]
    public ulong? Rate { get; set; }
}

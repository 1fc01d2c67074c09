using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources.pids</c>.</summary>
public sealed class OciPids : OciObject
{
    /// <summary><c>limit</c> (REQUIRED): the most tasks (pids.max); -1 for "max"; 0 leaves it alone (as runc does).</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; set; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>process.rlimits</c> (setrlimit(2); <c>prlimit --TYPE=SOFT:HARD</c>).</summary>
public sealed class OciRlimit : OciObject
{
    /// <summary><c>type</c> (REQUIRED): the resource, as getrlimit(2) names it ("RLIMIT_NOFILE").</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>hard</c> (REQUIRED): rlim_max.</summary>
    [JsonPropertyName("hard")]
    public ulong? Hard { get; set; }

    /// <summary><c>soft</c> (REQUIRED): rlim_cur.</summary>
    [JsonPropertyName("soft")]
    public ulong? Soft { get; set; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>A feature that is on or off (features-linux.md <c>apparmor</c>, <c>selinux</c>, <c>intelRdt</c>, <c>idmap</c>).</summary>
public sealed class OciFeatureSwitch : OciObject
{
    /// <summary><c>enabled</c>: whether the runtime implements it; null for unknown.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}

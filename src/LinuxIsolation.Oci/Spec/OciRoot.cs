using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>root</c>: the container's root file system (config.md "Root").</summary>
public sealed class OciRoot : OciObject
{
    /// <summary><c>path</c> (REQUIRED): the root file system, absolute or relative to the bundle (conventionally "rootfs"); a directory MUST exist there.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary><c>readonly</c>: the root file system is read-only inside the container (default false).</summary>
    [JsonPropertyName("readonly")]
    public bool? Readonly { get; set; }
}

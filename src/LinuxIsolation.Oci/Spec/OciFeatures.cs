using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>The features structure (features.md): what a runtime implements, printed by <c>lxi features</c>.</summary>
public sealed class OciFeatures : OciObject
{
    /// <summary><c>ociVersionMin</c> (REQUIRED): the oldest config.json ociVersion accepted.</summary>
    [JsonPropertyName("ociVersionMin")]
    public string? OciVersionMin { get; set; }

    /// <summary><c>ociVersionMax</c> (REQUIRED): the newest config.json ociVersion known.</summary>
    [JsonPropertyName("ociVersionMax")]
    public string? OciVersionMax { get; set; }

    /// <summary><c>hooks</c>: the hook names supported.</summary>
    [JsonPropertyName("hooks")]
    public IList<string>? Hooks { get; set; }

    /// <summary><c>mountOptions</c>: the mount options recognized.</summary>
    [JsonPropertyName("mountOptions")]
    public IList<string>? MountOptions { get; set; }

    /// <summary><c>linux</c>: the Linux features (features-linux.md).</summary>
    [JsonPropertyName("linux")]
    public OciLinuxFeatures? Linux { get; set; }

    /// <summary><c>annotations</c>: metadata about the runtime.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }

    /// <summary><c>potentiallyUnsafeConfigAnnotations</c>: config.json annotations that change the runtime's behaviour (a trailing "." is a prefix).</summary>
    [JsonPropertyName("potentiallyUnsafeConfigAnnotations")]
    public IList<string>? PotentiallyUnsafeConfigAnnotations { get; set; }
}

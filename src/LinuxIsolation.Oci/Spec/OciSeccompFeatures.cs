using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.seccomp</c> of the features structure.</summary>
public sealed class OciSeccompFeatures : OciObject
{
    /// <summary><c>enabled</c>: whether seccomp is implemented.</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary><c>actions</c>: SCMP_ACT_* supported.</summary>
    [JsonPropertyName("actions")]
    public IList<string>? Actions { get; set; }

    /// <summary><c>operators</c>: SCMP_CMP_* supported.</summary>
    [JsonPropertyName("operators")]
    public IList<string>? Operators { get; set; }

    /// <summary><c>archs</c>: SCMP_ARCH_* supported.</summary>
    [JsonPropertyName("archs")]
    public IList<string>? Archs { get; set; }

    /// <summary><c>knownFlags</c>: SECCOMP_FILTER_FLAG_* recognized.</summary>
    [JsonPropertyName("knownFlags")]
    public IList<string>? KnownFlags { get; set; }

    /// <summary><c>supportedFlags</c>: SECCOMP_FILTER_FLAG_* that can be used.</summary>
    [JsonPropertyName("supportedFlags")]
    public IList<string>? SupportedFlags { get; set; }
}

using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.capabilities</c>: the capability sets, by kernel name ("CAP_CHOWN"); see capabilities(7).</summary>
public sealed class OciCapabilities : OciObject
{
    /// <summary><c>bounding</c>: the bounding set.</summary>
    [JsonPropertyName("bounding")]
    public IList<string>? Bounding { get; set; }

    /// <summary><c>effective</c>: the effective set.</summary>
    [JsonPropertyName("effective")]
    public IList<string>? Effective { get; set; }

    /// <summary><c>inheritable</c>: the inheritable set.</summary>
    [JsonPropertyName("inheritable")]
    public IList<string>? Inheritable { get; set; }

    /// <summary><c>permitted</c>: the permitted set.</summary>
    [JsonPropertyName("permitted")]
    public IList<string>? Permitted { get; set; }

    /// <summary><c>ambient</c>: the ambient set (Linux 4.3).</summary>
    [JsonPropertyName("ambient")]
    public IList<string>? Ambient { get; set; }
}

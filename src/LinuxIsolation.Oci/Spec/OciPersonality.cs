using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.personality</c>: the execution domain (personality(2); <c>setarch linux32</c>).</summary>
public sealed class OciPersonality : OciObject
{
    /// <summary><c>domain</c> (REQUIRED): LINUX or LINUX32.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    /// <summary><c>flags</c>: additional flags; the spec defines none yet.</summary>
    [JsonPropertyName("flags")]
    public IList<string>? Flags { get; set; }
}

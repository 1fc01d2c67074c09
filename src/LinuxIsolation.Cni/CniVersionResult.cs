using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>What VERSION prints: <c>{"cniVersion":"1.1.0","supportedVersions":[...]}</c>.</summary>
public sealed record CniVersionResult
{
    /// <summary>The version of this answer (the newest supported).</summary>
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    /// <summary>Every version the plugin supports.</summary>
    [JsonPropertyName("supportedVersions")]
    public required IReadOnlyList<string> SupportedVersions { get; init; }

    /// <summary>The answer as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json.CniJsonContext.Default.CniVersionResult);
}

using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>
/// The capability arguments a runtime passes in <c>runtimeConfig</c> (only those the plugin's configuration declares
/// in <c>capabilities</c>, libcni filters the rest). Arguments this type does not model stay readable through
/// <see cref="CniNetworkConfig.Raw"/>.
/// </summary>
public sealed record CniRuntimeConfig
{
    /// <summary>The <c>portMappings</c> capability, or null.</summary>
    [JsonPropertyName("portMappings")]
    public IReadOnlyList<CniPortMapping>? PortMappings { get; init; }

    /// <summary>The <c>bandwidth</c> capability, or null.</summary>
    [JsonPropertyName("bandwidth")]
    public CniBandwidth? Bandwidth { get; init; }

    /// <summary>The <c>ips</c> capability (static addresses asked for, ADDRESS/PREFIX), or null.</summary>
    [JsonPropertyName("ips")]
    public IReadOnlyList<string>? Ips { get; init; }

    /// <summary>The <c>mac</c> capability, or null.</summary>
    [JsonPropertyName("mac")]
    public string? Mac { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>The <c>ipam</c> object of a network configuration: its <see cref="Type"/> names the IPAM plugin; the rest is that plugin's own, in <see cref="Raw"/>.</summary>
public sealed record CniIpamConfig
{
    /// <summary>The IPAM plugin's type (e.g. "host-local"), required by the spec.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The whole <c>ipam</c> object, for the plugin to read its own fields from.</summary>
    [JsonIgnore]
    public JsonElement Raw { get; init; }
}

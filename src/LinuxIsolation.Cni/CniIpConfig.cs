using System.Net;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>An address of a result (<c>ips[]</c>).</summary>
public sealed record CniIpConfig
{
    /// <summary>The address with its prefix length.</summary>
    [JsonPropertyName("address")]
    [JsonConverter(typeof(Json.CniAddressConverter))]
    public required CniAddress Address { get; init; }

    /// <summary>The gateway of the subnet, or null.</summary>
    [JsonPropertyName("gateway")]
    [JsonConverter(typeof(Json.IPAddressConverter))]
    public IPAddress? Gateway { get; init; }

    /// <summary>The index into the result's <see cref="CniResult.Interfaces"/> of the interface holding the address, or null.</summary>
    [JsonPropertyName("interface")]
    public int? Interface { get; init; }
}

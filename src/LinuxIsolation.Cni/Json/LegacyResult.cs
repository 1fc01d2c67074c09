using System.Collections.Generic;
using System.Net;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni.Json;

/// <summary>The 0.3.x/0.4.0 result shape: what <see cref="CniResult.ToJson"/> writes for those versions.</summary>
internal sealed record LegacyResult
{
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    [JsonPropertyName("interfaces")]
    public IReadOnlyList<CniInterface>? Interfaces { get; init; }

    [JsonPropertyName("ips")]
    public IReadOnlyList<LegacyIpConfig>? Ips { get; init; }

    [JsonPropertyName("routes")]
    public IReadOnlyList<CniRoute>? Routes { get; init; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; init; }
}

/// <summary>A 0.x <c>ips[]</c> entry: the 1.x one with <c>version</c> ("4" or "6") first.</summary>
internal sealed record LegacyIpConfig
{
    [JsonPropertyName("version")]
    public required string Version { get; init; }

    [JsonPropertyName("interface")]
    public int? Interface { get; init; }

    [JsonPropertyName("address")]
    [JsonConverter(typeof(CniAddressConverter))]
    public required CniAddress Address { get; init; }

    [JsonPropertyName("gateway")]
    [JsonConverter(typeof(IPAddressConverter))]
    public IPAddress? Gateway { get; init; }
}

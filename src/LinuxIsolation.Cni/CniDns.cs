using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>DNS settings of a configuration or result (<c>dns</c>), as resolv.conf would hold them.</summary>
public sealed record CniDns
{
    /// <summary>Name servers, in order of preference.</summary>
    [JsonPropertyName("nameservers")]
    public IReadOnlyList<string>? Nameservers { get; init; }

    /// <summary>The local domain.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    /// <summary>Search domains, in order of preference.</summary>
    [JsonPropertyName("search")]
    public IReadOnlyList<string>? Search { get; init; }

    /// <summary>Resolver options.</summary>
    [JsonPropertyName("options")]
    public IReadOnlyList<string>? Options { get; init; }
}

using System.Net;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>A route of a result or of an IPAM configuration (<c>routes[]</c>). Equivalent to <c>ip route add DST via GW</c>.</summary>
public sealed record CniRoute
{
    /// <summary>The destination network (<c>0.0.0.0/0</c> for the default route).</summary>
    [JsonPropertyName("dst")]
    [JsonConverter(typeof(Json.IPNetworkConverter))]
    public required IPNetwork Destination { get; init; }

    /// <summary>The next hop, or null for the plugin's default gateway.</summary>
    [JsonPropertyName("gw")]
    [JsonConverter(typeof(Json.IPAddressConverter))]
    public IPAddress? Gateway { get; init; }

    /// <summary>The route's MTU (CNI 1.1.0), or null.</summary>
    [JsonPropertyName("mtu")]
    public int? Mtu { get; init; }

    /// <summary>The route's advertised MSS (CNI 1.1.0), or null.</summary>
    [JsonPropertyName("advmss")]
    public int? AdvMss { get; init; }

    /// <summary>The route's priority (metric, CNI 1.1.0), or null.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>The routing table (CNI 1.1.0), or null for main.</summary>
    [JsonPropertyName("table")]
    public int? Table { get; init; }

    /// <summary>The route's scope (CNI 1.1.0, 0 universe, 253 link, 254 host), or null.</summary>
    [JsonPropertyName("scope")]
    public int? Scope { get; init; }
}

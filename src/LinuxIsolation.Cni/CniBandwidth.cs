using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>The <c>bandwidth</c> capability argument (<c>runtimeConfig.bandwidth</c>): rates in bits a second, bursts in bits, as the reference bandwidth plugin reads them.</summary>
public sealed record CniBandwidth
{
    /// <summary>The rate into the container, or null for no limit.</summary>
    [JsonPropertyName("ingressRate")]
    public long? IngressRate { get; init; }

    /// <summary>The burst into the container, or null.</summary>
    [JsonPropertyName("ingressBurst")]
    public long? IngressBurst { get; init; }

    /// <summary>The rate out of the container, or null for no limit.</summary>
    [JsonPropertyName("egressRate")]
    public long? EgressRate { get; init; }

    /// <summary>The burst out of the container, or null.</summary>
    [JsonPropertyName("egressBurst")]
    public long? EgressBurst { get; init; }
}

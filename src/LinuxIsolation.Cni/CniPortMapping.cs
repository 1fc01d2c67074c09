using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>One entry of the <c>portMappings</c> capability argument (<c>runtimeConfig.portMappings[]</c>), as podman and the kubelet send it.</summary>
public sealed record CniPortMapping
{
    /// <summary>The port published on the host.</summary>
    [JsonPropertyName("hostPort")]
    public required int HostPort { get; init; }

    /// <summary>The port inside the container.</summary>
    [JsonPropertyName("containerPort")]
    public required int ContainerPort { get; init; }

    /// <summary>"tcp", "udp" or "sctp"; null means "tcp".</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>The host address to publish on, or null (every address).</summary>
    [JsonPropertyName("hostIP")]
    public string? HostIp { get; init; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>An attachment still in use, as GC receives them in <c>cni.dev/valid-attachments</c> (CNI 1.1.0).</summary>
public sealed record CniAttachment
{
    /// <summary>The container ID.</summary>
    [JsonPropertyName("containerID")]
    public required string ContainerId { get; init; }

    /// <summary>The interface name inside the container.</summary>
    [JsonPropertyName("ifname")]
    public required string IfName { get; init; }
}

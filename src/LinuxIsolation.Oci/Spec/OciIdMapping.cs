using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One range of a uid or gid map (config-linux.md "User namespace mappings"; also an id-mapped mount's map).</summary>
public sealed class OciIdMapping : OciObject
{
    /// <summary><c>containerID</c> (REQUIRED): the first id inside the container.</summary>
    [JsonPropertyName("containerID")]
    public uint? ContainerId { get; set; }

    /// <summary><c>hostID</c> (REQUIRED): the first id on the host that <see cref="ContainerId"/> maps to.</summary>
    [JsonPropertyName("hostID")]
    public uint? HostId { get; set; }

    /// <summary><c>size</c> (REQUIRED): how many ids the range maps.</summary>
    [JsonPropertyName("size")]
    public uint? Size { get; set; }
}

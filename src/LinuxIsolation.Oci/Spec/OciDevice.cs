using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>linux.devices</c>: a device node the container MUST have (<c>mknod PATH TYPE MAJOR MINOR</c>).</summary>
public sealed class OciDevice : OciObject
{
    /// <summary><c>path</c> (REQUIRED): the node's absolute path inside the container.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary><c>type</c> (REQUIRED): c (character), b (block), u (unbuffered character) or p (FIFO).</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>major</c>: REQUIRED unless the type is p.</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary><c>minor</c>: REQUIRED unless the type is p.</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary><c>fileMode</c>: the permission bits (e.g. 438 = 0666).</summary>
    [JsonPropertyName("fileMode")]
    public uint? FileMode { get; set; }

    /// <summary><c>uid</c>: the owner in the container's user namespace.</summary>
    [JsonPropertyName("uid")]
    public uint? Uid { get; set; }

    /// <summary><c>gid</c>: the group in the container's user namespace.</summary>
    [JsonPropertyName("gid")]
    public uint? Gid { get; set; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>linux.resources.devices</c>: allow or deny access to devices (cgroup v1 devices.allow/deny; a BPF program on cgroup v2).</summary>
public sealed class OciDeviceCgroup : OciObject
{
    /// <summary><c>allow</c> (REQUIRED): allow (true) or deny (false).</summary>
    [JsonPropertyName("allow")]
    public bool? Allow { get; set; }

    /// <summary><c>type</c>: a (all, the default), c or b.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>major</c>: null for all.</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary><c>minor</c>: null for all.</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary><c>access</c>: some of r (read), w (write), m (mknod).</summary>
    [JsonPropertyName("access")]
    public string? Access { get; set; }
}

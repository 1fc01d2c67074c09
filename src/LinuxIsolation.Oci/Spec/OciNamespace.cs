using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>linux.namespaces</c>: a namespace to create, or to join when <see cref="Path"/> is set.</summary>
public sealed class OciNamespace : OciObject
{
    /// <summary><c>type</c> (REQUIRED): pid, network, mount, ipc, uts, user, cgroup or time.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>path</c>: an absolute path of a namespace file to join (<c>/proc/PID/ns/net</c>, <c>/run/netns/NAME</c>).</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }
}

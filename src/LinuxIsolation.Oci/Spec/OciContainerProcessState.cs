using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>
/// The container process state (config-linux.md "The Container Process State"): sent with the seccomp notify
/// descriptor (SCM_RIGHTS) to <c>linux.seccomp.listenerPath</c>.
/// </summary>
public sealed class OciContainerProcessState : OciObject
{
    /// <summary><c>ociVersion</c> (REQUIRED).</summary>
    [JsonPropertyName("ociVersion")]
    public string? OciVersion { get; set; }

    /// <summary><c>fds</c>: the names of the descriptors sent, in SCM_RIGHTS order ("seccompFd").</summary>
    [JsonPropertyName("fds")]
    public IList<string>? Fds { get; set; }

    /// <summary><c>pid</c> (REQUIRED): the container process id as the runtime sees it.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary><c>metadata</c>: <c>linux.seccomp.listenerMetadata</c>.</summary>
    [JsonPropertyName("metadata")]
    public string? Metadata { get; set; }

    /// <summary><c>state</c> (REQUIRED): the container's state.</summary>
    [JsonPropertyName("state")]
    public OciState? State { get; set; }
}

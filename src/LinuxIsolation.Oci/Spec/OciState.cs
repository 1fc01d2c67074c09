using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>
/// The state of a container (runtime.md "State"): what <c>lxi state ID</c> prints and what hooks read on their
/// standard input. <see cref="Rootfs"/>, <see cref="Created"/> and <see cref="Owner"/> are the additional
/// properties runc's <c>state</c> prints (the spec allows additional properties).
/// </summary>
public sealed class OciState : OciObject
{
    /// <summary><c>ociVersion</c> (REQUIRED): the spec version of the container's config.json.</summary>
    [JsonPropertyName("ociVersion")]
    public string? OciVersion { get; set; }

    /// <summary><c>id</c> (REQUIRED): the container id, unique on the host within the runtime's root.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary><c>pid</c>: the container process id as the reader sees it; REQUIRED when created or running, 0 when stopped.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary><c>status</c> (REQUIRED): creating, created, running or stopped (and runc's "paused"); see <see cref="State.OciContainerStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary><c>bundle</c> (REQUIRED): the absolute path of the bundle directory.</summary>
    [JsonPropertyName("bundle")]
    public string? Bundle { get; set; }

    /// <summary><c>rootfs</c> (runc's): the absolute path of the root file system.</summary>
    [JsonPropertyName("rootfs")]
    public string? Rootfs { get; set; }

    /// <summary><c>created</c> (runc's): when <c>create</c> ran, RFC 3339 with nanoseconds, UTC.</summary>
    [JsonPropertyName("created")]
    public string? Created { get; set; }

    /// <summary><c>owner</c> (runc's): the owner of the state directory; empty as runc prints it.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; set; }

    /// <summary><c>annotations</c>: the config's annotations.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }
}

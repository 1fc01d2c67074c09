using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>mounts</c> (config.md "Mounts", the Linux parameters of mount(2)).</summary>
public sealed class OciMount : OciObject
{
    /// <summary><c>destination</c> (REQUIRED): the mount point inside the container; a relative one is taken as relative to "/".</summary>
    [JsonPropertyName("destination")]
    public string? Destination { get; set; }

    /// <summary><c>type</c>: the file system type from /proc/filesystems ("proc", "tmpfs", ...); "none" or "bind" for bind mounts.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary><c>source</c>: a device name, a directory for bind mounts (relative ones are relative to the bundle), or a dummy.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; set; }

    /// <summary><c>options</c>: mount(8) options ("ro", "rbind", "nosuid", "rprivate", ...); unknown ones are file system data ("mode=755").</summary>
    [JsonPropertyName("options")]
    public IList<string>? Options { get; set; }

    /// <summary><c>uidMappings</c>: the uid map of an id-mapped mount (mount_setattr MOUNT_ATTR_IDMAP, Linux 5.12); needs <see cref="GidMappings"/>.</summary>
    [JsonPropertyName("uidMappings")]
    public IList<OciIdMapping>? UidMappings { get; set; }

    /// <summary><c>gidMappings</c>: the gid map of an id-mapped mount; needs <see cref="UidMappings"/>.</summary>
    [JsonPropertyName("gidMappings")]
    public IList<OciIdMapping>? GidMappings { get; set; }
}

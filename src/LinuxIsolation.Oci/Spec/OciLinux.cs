using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux</c>: the Linux-specific configuration (config-linux.md).</summary>
public sealed class OciLinux : OciObject
{
    /// <summary><c>namespaces</c>: namespaces to create (no path) or join (path); a type at most once.</summary>
    [JsonPropertyName("namespaces")]
    public IList<OciNamespace>? Namespaces { get; set; }

    /// <summary><c>uidMappings</c>: the uid map of a new user namespace (/proc/PID/uid_map).</summary>
    [JsonPropertyName("uidMappings")]
    public IList<OciIdMapping>? UidMappings { get; set; }

    /// <summary><c>gidMappings</c>: the gid map of a new user namespace (/proc/PID/gid_map).</summary>
    [JsonPropertyName("gidMappings")]
    public IList<OciIdMapping>? GidMappings { get; set; }

    /// <summary><c>timeOffsets</c>: clock offsets of a new time namespace, by clock ("monotonic", "boottime"; /proc/PID/timens_offsets).</summary>
    [JsonPropertyName("timeOffsets")]
    public IDictionary<string, OciTimeOffset>? TimeOffsets { get; set; }

    /// <summary><c>devices</c>: device nodes that MUST exist in the container (beyond the default ones).</summary>
    [JsonPropertyName("devices")]
    public IList<OciDevice>? Devices { get; set; }

    /// <summary><c>cgroupsPath</c>: the container's cgroup; absolute: below the cgroup mount, relative: below a place the runtime chooses.</summary>
    [JsonPropertyName("cgroupsPath")]
    public string? CgroupsPath { get; set; }

    /// <summary><c>resources</c>: the cgroup limits.</summary>
    [JsonPropertyName("resources")]
    public OciResources? Resources { get; set; }

    /// <summary><c>intelRdt</c>: Intel RDT (resctrl) settings.</summary>
    [JsonPropertyName("intelRdt")]
    public OciIntelRdt? IntelRdt { get; set; }

    /// <summary><c>sysctl</c>: kernel parameters set inside the container's namespaces ("net.ipv4.ip_forward": "1").</summary>
    [JsonPropertyName("sysctl")]
    public IDictionary<string, string>? Sysctl { get; set; }

    /// <summary><c>seccomp</c>: the system call filter.</summary>
    [JsonPropertyName("seccomp")]
    public OciSeccomp? Seccomp { get; set; }

    /// <summary><c>rootfsPropagation</c>: the propagation of the root file system mount: shared, slave, private or unbindable.</summary>
    [JsonPropertyName("rootfsPropagation")]
    public string? RootfsPropagation { get; set; }

    /// <summary><c>maskedPaths</c>: absolute paths covered so they cannot be read.</summary>
    [JsonPropertyName("maskedPaths")]
    public IList<string>? MaskedPaths { get; set; }

    /// <summary><c>readonlyPaths</c>: absolute paths made read-only.</summary>
    [JsonPropertyName("readonlyPaths")]
    public IList<string>? ReadonlyPaths { get; set; }

    /// <summary><c>mountLabel</c>: the SELinux context of the container's mounts (lxi refuses it: no SELinux support).</summary>
    [JsonPropertyName("mountLabel")]
    public string? MountLabel { get; set; }

    /// <summary><c>personality</c>: the execution domain (personality(2)).</summary>
    [JsonPropertyName("personality")]
    public OciPersonality? Personality { get; set; }
}

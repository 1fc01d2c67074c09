using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>
/// A bundle's <c>config.json</c> (runtime-spec 1.2, config.md): the container's process, root file system,
/// host and domain name, mounts, hooks, annotations and Linux settings. A property left out of the JSON is
/// null here (never a default), so <see cref="OciValidator"/> can tell "absent" from "zero". The non-Linux
/// platform sections (<c>solaris</c>, <c>windows</c>, <c>vm</c>, <c>zos</c>) are kept in
/// <see cref="OciObject.ExtensionData"/> and ignored. Read and written with <see cref="OciJson"/>.
/// </summary>
public sealed class OciSpec : OciObject
{
    /// <summary><c>ociVersion</c> (REQUIRED): the SemVer 2.0.0 version of the spec the bundle complies with, e.g. "1.2.1".</summary>
    [JsonPropertyName("ociVersion")]
    public string? OciVersion { get; set; }

    /// <summary><c>process</c>: the container process; REQUIRED by <c>start</c> (and so by lxi's <c>create</c>).</summary>
    [JsonPropertyName("process")]
    public OciProcess? Process { get; set; }

    /// <summary><c>root</c> (REQUIRED on Linux): the root file system.</summary>
    [JsonPropertyName("root")]
    public OciRoot? Root { get; set; }

    /// <summary><c>hostname</c>: the host name in the container's UTS namespace (<c>hostname NAME</c>).</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    /// <summary><c>domainname</c>: the NIS domain name in the container's UTS namespace (<c>domainname NAME</c>).</summary>
    [JsonPropertyName("domainname")]
    public string? Domainname { get; set; }

    /// <summary><c>mounts</c>: mounts beyond the root, made in the listed order.</summary>
    [JsonPropertyName("mounts")]
    public IList<OciMount>? Mounts { get; set; }

    /// <summary><c>hooks</c>: programs run at points of the container's lifecycle.</summary>
    [JsonPropertyName("hooks")]
    public OciHooks? Hooks { get; set; }

    /// <summary><c>annotations</c>: arbitrary metadata; keys are non-empty strings, values strings.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }

    /// <summary><c>linux</c>: the Linux-specific configuration (config-linux.md).</summary>
    [JsonPropertyName("linux")]
    public OciLinux? Linux { get; set; }
}

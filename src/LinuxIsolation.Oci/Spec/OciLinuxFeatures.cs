using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux</c> of the features structure (features-linux.md).</summary>
public sealed class OciLinuxFeatures : OciObject
{
    /// <summary><c>namespaces</c>: the namespace types supported.</summary>
    [JsonPropertyName("namespaces")]
    public IList<string>? Namespaces { get; set; }

    /// <summary><c>capabilities</c>: the capability names known.</summary>
    [JsonPropertyName("capabilities")]
    public IList<string>? Capabilities { get; set; }

    /// <summary><c>cgroup</c>: the cgroup drivers.</summary>
    [JsonPropertyName("cgroup")]
    public OciCgroupFeatures? Cgroup { get; set; }

    /// <summary><c>seccomp</c>: the seccomp support.</summary>
    [JsonPropertyName("seccomp")]
    public OciSeccompFeatures? Seccomp { get; set; }

    /// <summary><c>apparmor</c>: AppArmor support.</summary>
    [JsonPropertyName("apparmor")]
    public OciFeatureSwitch? Apparmor { get; set; }

    /// <summary><c>selinux</c>: SELinux support.</summary>
    [JsonPropertyName("selinux")]
    public OciFeatureSwitch? Selinux { get; set; }

    /// <summary><c>intelRdt</c>: Intel RDT support.</summary>
    [JsonPropertyName("intelRdt")]
    public OciFeatureSwitch? IntelRdt { get; set; }

    /// <summary><c>mountExtensions</c>: mount extensions (id-mapped mounts).</summary>
    [JsonPropertyName("mountExtensions")]
    public OciMountExtensionsFeatures? MountExtensions { get; set; }
}

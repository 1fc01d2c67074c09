using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.cgroup</c> of the features structure.</summary>
public sealed class OciCgroupFeatures : OciObject
{
    /// <summary><c>v1</c>: cgroup v1 support.</summary>
    [JsonPropertyName("v1")]
    public bool? V1 { get; set; }

    /// <summary><c>v2</c>: cgroup v2 support.</summary>
    [JsonPropertyName("v2")]
    public bool? V2 { get; set; }

    /// <summary><c>systemd</c>: the systemd cgroup driver.</summary>
    [JsonPropertyName("systemd")]
    public bool? Systemd { get; set; }

    /// <summary><c>systemdUser</c>: the systemd user-instance cgroup driver.</summary>
    [JsonPropertyName("systemdUser")]
    public bool? SystemdUser { get; set; }

    /// <summary><c>rdma</c>: the rdma controller.</summary>
    [JsonPropertyName("rdma")]
    public bool? Rdma { get; set; }
}

using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources.network</c>: cgroup v1's net_cls and net_prio controllers (cgroup v2 has neither).</summary>
public sealed class OciNetwork : OciObject
{
    /// <summary><c>classID</c>: net_cls.classid.</summary>
    [JsonPropertyName("classID")]
    public uint? ClassId { get; set; }

    /// <summary><c>priorities</c>: net_prio.ifpriomap entries.</summary>
    [JsonPropertyName("priorities")]
    public IList<OciInterfacePriority>? Priorities { get; set; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One device's entry of <c>linux.resources.rdma</c> (rdma.max).</summary>
public sealed class OciRdma : OciObject
{
    /// <summary><c>hcaHandles</c>: the most HCA handles.</summary>
    [JsonPropertyName("hcaHandles")]
    public uint? HcaHandles { get; set; }

    /// <summary><c>hcaObjects</c>: the most HCA objects.</summary>
    [JsonPropertyName("hcaObjects")]
    public uint? HcaObjects { get; set; }
}

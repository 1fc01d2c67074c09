using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources.blockIO</c>: in cgroup v1 blkio terms; converted to io.weight and io.max.</summary>
public sealed class OciBlockIo : OciObject
{
    /// <summary><c>weight</c>: 10 to 1000 (blkio.weight; converted to io.weight 1 to 10000).</summary>
    [JsonPropertyName("weight")]
    public ushort? Weight { get; set; }

    /// <summary><c>leafWeight</c>: CFQ only; no cgroup v2 equivalent.</summary>
    [JsonPropertyName("leafWeight")]
    public ushort? LeafWeight { get; set; }

    /// <summary><c>weightDevice</c>: per-device weights.</summary>
    [JsonPropertyName("weightDevice")]
    public IList<OciWeightDevice>? WeightDevice { get; set; }

    /// <summary><c>throttleReadBpsDevice</c>: read bytes per second per device (io.max rbps).</summary>
    [JsonPropertyName("throttleReadBpsDevice")]
    public IList<OciThrottleDevice>? ThrottleReadBpsDevice { get; set; }

    /// <summary><c>throttleWriteBpsDevice</c>: written bytes per second per device (io.max wbps).</summary>
    [JsonPropertyName("throttleWriteBpsDevice")]
    public IList<OciThrottleDevice>? ThrottleWriteBpsDevice { get; set; }

    /// <summary><c>throttleReadIOPSDevice</c>: read operations per second per device (io.max riops).</summary>
    [JsonPropertyName("throttleReadIOPSDevice")]
    public IList<OciThrottleDevice>? ThrottleReadIopsDevice { get; set; }

    /// <summary><c>throttleWriteIOPSDevice</c>: write operations per second per device (io.max wiops).</summary>
    [JsonPropertyName("throttleWriteIOPSDevice")]
    public IList<OciThrottleDevice>? ThrottleWriteIopsDevice { get; set; }
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>blockIO.weightDevice</c>.</summary>
public sealed class OciWeightDevice : OciObject
{
    /// <summary><c>major</c> (REQUIRED).</summary>
    [JsonPropertyName("major")]
    public long? Major { get; set; }

    /// <summary><c>minor</c> (REQUIRED).</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; set; }

    /// <summary><c>weight</c>: 10 to 1000; at least one of weight and leafWeight.</summary>
    [JsonPropertyName("weight")]
    public ushort? Weight { get; set; }

    /// <summary><c>leafWeight</c>: CFQ only.</summary>
    [JsonPropertyName("leafWeight")]
    public ushort? LeafWeight { get; set; }
}

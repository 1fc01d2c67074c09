using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>network.priorities</c>.</summary>
public sealed class OciInterfacePriority : OciObject
{
    /// <summary><c>name</c> (REQUIRED): the interface, in the runtime's network namespace.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary><c>priority</c> (REQUIRED).</summary>
    [JsonPropertyName("priority")]
    public uint? Priority { get; set; }
}

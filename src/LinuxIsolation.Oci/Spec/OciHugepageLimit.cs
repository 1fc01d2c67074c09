using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>One entry of <c>linux.resources.hugepageLimits</c>.</summary>
public sealed class OciHugepageLimit : OciObject
{
    /// <summary><c>pageSize</c> (REQUIRED): "2MB", "1GB", "64KB".</summary>
    [JsonPropertyName("pageSize")]
    public string? PageSize { get; set; }

    /// <summary><c>limit</c> (REQUIRED): bytes (hugetlb.SIZE.max).</summary>
    [JsonPropertyName("limit")]
    public ulong? Limit { get; set; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>The spec's error object, written to stdout with a non-zero exit status: <c>{"cniVersion","code","msg","details"}</c>.</summary>
public sealed record CniError
{
    /// <summary>The CNI version of the request.</summary>
    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; init; }

    /// <summary>The error code (<see cref="CniErrorCode"/>).</summary>
    [JsonPropertyName("code")]
    public required int Code { get; init; }

    /// <summary>The short message.</summary>
    [JsonPropertyName("msg")]
    public required string Msg { get; init; }

    /// <summary>Longer details, or null (then omitted).</summary>
    [JsonPropertyName("details")]
    public string? Details { get; init; }

    /// <summary>The error as JSON, as a plugin writes it to stdout.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json.CniJsonContext.Default.CniError);

    /// <summary>Parses an error object (what a delegated plugin printed).</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="CniException">The text is not an error object (code 6).</exception>
    public static CniError Parse(string json) => CniJson.Deserialize(json, Json.CniJsonContext.Default.CniError, "error");
}

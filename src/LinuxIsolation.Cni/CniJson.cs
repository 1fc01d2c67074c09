using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LinuxIsolation.Cni;

/// <summary>JSON helpers that turn every parse failure into the spec's decode error (code 6).</summary>
internal static class CniJson
{
    internal static JsonElement ParseDocument(string json, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"{what} is not valid JSON: {e.Message}", innerException: e);
        }
    }

    internal static JsonElement ParseDocument(System.ReadOnlyMemory<byte> json, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"{what} is not valid JSON: {e.Message}", innerException: e);
        }
    }

    internal static T Deserialize<T>(string json, JsonTypeInfo<T> info, string what) => Deserialize(ParseDocument(json, what), info, what);

    internal static T Deserialize<T>(JsonElement element, JsonTypeInfo<T> info, string what)
    {
        try
        {
            return element.Deserialize(info) ?? throw new CniException(CniErrorCode.DecodeFailure, $"{what} is null.");
        }
        catch (JsonException e)
        {
            string where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? what : $"{what} field {e.Path}";
            throw new CniException(CniErrorCode.DecodeFailure, $"{where} does not decode: {e.Message}", innerException: e);
        }
    }
}

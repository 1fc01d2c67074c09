using System;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni.Json;

/// <summary>Reads and writes <see cref="CniAddress"/> as <c>"ADDRESS/PREFIX"</c>.</summary>
internal sealed class CniAddressConverter : JsonConverter<CniAddress>
{
    public override CniAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return CniAddress.TryParse(text, out CniAddress a) ? a : throw new JsonException($"\"{text}\" is not ADDRESS/PREFIX.");
    }

    public override void Write(Utf8JsonWriter writer, CniAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>Reads and writes an <see cref="IPAddress"/> as a string.</summary>
internal sealed class IPAddressConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null && IPAddress.TryParse(text, out IPAddress? a) ? a : throw new JsonException($"\"{text}\" is not an IP address.");
    }

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>Reads and writes an <see cref="IPNetwork"/> as <c>"PREFIX/LEN"</c> (host bits must be zero).</summary>
internal sealed class IPNetworkConverter : JsonConverter<IPNetwork>
{
    public override IPNetwork Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is not null && CniAddress.TryParse(text, out CniAddress a))
        {
            return a.Network;
        }

        throw new JsonException($"\"{text}\" is not a network (PREFIX/LEN).");
    }

    public override void Write(Utf8JsonWriter writer, IPNetwork value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

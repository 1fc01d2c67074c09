using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace LinuxIsolation.Cni;

/// <summary>
/// The network configuration a plugin reads on stdin: the spec's common fields typed, the plugin's own fields in
/// <see cref="Raw"/> (read them with a source-generated <see cref="JsonSerializerContext"/> of the plugin's own, to
/// stay NativeAOT-clean). In a chain it carries the previous plugin's <see cref="PrevResult"/>.
/// </summary>
public sealed partial record CniNetworkConfig
{
    /// <summary>The spec version the runtime speaks (<c>cniVersion</c>, required).</summary>
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; init; }

    /// <summary>The network's name (<c>name</c>, required; letters, digits, '_', '.', '-', starting with a letter or digit).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The plugin's type (<c>type</c>, required): the executable's name on <c>CNI_PATH</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The capabilities the plugin accepts in <c>runtimeConfig</c> (<c>capabilities</c>), or null.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyDictionary<string, bool>? Capabilities { get; init; }

    /// <summary>The <c>ipam</c> object, or null.</summary>
    [JsonPropertyName("ipam")]
    public CniIpamConfig? Ipam { get; init; }

    /// <summary>The <c>dns</c> object, or null.</summary>
    [JsonPropertyName("dns")]
    public CniDns? Dns { get; init; }

    /// <summary>The capability arguments (<c>runtimeConfig</c>), or null.</summary>
    [JsonPropertyName("runtimeConfig")]
    public CniRuntimeConfig? RuntimeConfig { get; init; }

    /// <summary>The result of the previous plugin in the chain (ADD), or of the whole chain (CHECK, DEL); null when none.</summary>
    [JsonPropertyName("prevResult")]
    public CniResult? PrevResult { get; init; }

    /// <summary>The attachments still in use (<c>cni.dev/valid-attachments</c>, GC only), or null.</summary>
    [JsonPropertyName("cni.dev/valid-attachments")]
    public IReadOnlyList<CniAttachment>? ValidAttachments { get; init; }

    /// <summary>The whole configuration object as received.</summary>
    [JsonIgnore]
    public JsonElement Raw { get; init; }

    /// <summary>
    /// Parses and validates a network configuration: JSON that does not parse or has a field of the wrong type is
    /// code 6; a missing or unsupported <c>cniVersion</c> code 1 (missing: 7); a missing or invalid <c>name</c> or
    /// <c>type</c>, or an <c>ipam</c> without <c>type</c>, code 7. Each message names the field.
    /// </summary>
    /// <param name="json">The UTF-8 bytes read from stdin.</param>
    /// <exception cref="CniException">The configuration is not valid; see above.</exception>
    public static CniNetworkConfig Parse(ReadOnlyMemory<byte> json) => FromElement(CniJson.ParseDocument(json, "network configuration"));

    /// <summary>Parses and validates a network configuration from text; see <see cref="Parse(ReadOnlyMemory{byte})"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="CniException">The configuration is not valid.</exception>
    public static CniNetworkConfig Parse(string json) => FromElement(CniJson.ParseDocument(json, "network configuration"));

    private static CniNetworkConfig FromElement(JsonElement root)
    {
        const string What = "network configuration";
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"The {What} is not a JSON object.");
        }

        CniNetworkConfig c = CniJson.Deserialize(root, Json.CniJsonContext.Default.CniNetworkConfig, What);
        if (c.CniVersion is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration has no \"cniVersion\".");
        }

        if (!CniVersions.IsSupported(c.CniVersion))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"\"cniVersion\" \"{c.CniVersion}\" is not supported (supported: {string.Join(", ", CniVersions.All)}).");
        }

        ValidateName(c.Name, "name");
        if (string.IsNullOrEmpty(c.Type))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration has no \"type\".");
        }

        CniIpamConfig? ipam = c.Ipam;
        if (ipam is not null)
        {
            if (string.IsNullOrEmpty(ipam.Type))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, "\"ipam\" has no \"type\".");
            }

            ipam = ipam with { Raw = root.GetProperty("ipam").Clone() };
        }

        return c with { Ipam = ipam, Raw = root };
    }

    /// <summary>Checks a network name as libcni does (it becomes a directory name of IPAM state).</summary>
    internal static void ValidateName(string? name, string field)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"The network configuration has no \"{field}\".");
        }

        if (name.Length > 255 || !NamePattern().IsMatch(name))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}\" \"{name}\" must start with a letter or digit and hold only letters, digits, '_', '.' and '-', at most 255 characters.");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$")]
    internal static partial Regex NamePattern();
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>
/// A network configuration list (a <c>.conflist</c> in <c>/etc/cni/net.d</c>): a named chain of plugins run in order
/// on ADD and in reverse on DEL. <see cref="BuildPluginConfig"/> makes the stdin of plugin N the way libcni does.
/// </summary>
public sealed record CniNetworkConfigList
{
    /// <summary>The spec version of the list (<c>cniVersion</c>).</summary>
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; init; }

    /// <summary>The versions the list is valid in (<c>cniVersions</c>, CNI 1.1.0), or null.</summary>
    [JsonPropertyName("cniVersions")]
    public IReadOnlyList<string>? CniVersionsSupported { get; init; }

    /// <summary>The network's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>When true, the runtime does not run CHECK.</summary>
    [JsonPropertyName("disableCheck")]
    public bool DisableCheck { get; init; }

    /// <summary>When true, the runtime does not run GC (CNI 1.1.0).</summary>
    [JsonPropertyName("disableGC")]
    public bool DisableGC { get; init; }

    /// <summary>The plugins' configuration objects, in order.</summary>
    [JsonPropertyName("plugins")]
    public IReadOnlyList<JsonElement>? Plugins { get; init; }

    /// <summary>Parses and validates a configuration list: the errors of <see cref="CniNetworkConfig.Parse(string)"/>, and code 7 for a list without plugins or a plugin without <c>type</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="CniException">The list is not valid; the message names the field.</exception>
    public static CniNetworkConfigList Parse(string json)
    {
        CniNetworkConfigList list = CniJson.Deserialize(json, Json.CniJsonContext.Default.CniNetworkConfigList, "network configuration list");
        string version = list.CniVersion ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration list has no \"cniVersion\".");
        if (!CniVersions.IsSupported(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"\"cniVersion\" \"{version}\" is not supported (supported: {string.Join(", ", CniVersions.All)}).");
        }

        CniNetworkConfig.ValidateName(list.Name, "name");
        if (list.Plugins is not { Count: > 0 })
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, "The network configuration list has no \"plugins\".");
        }

        for (int i = 0; i < list.Plugins.Count; i++)
        {
            JsonElement p = list.Plugins[i];
            if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("type", out JsonElement t) || t.ValueKind != JsonValueKind.String)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"plugins[{i}]\" has no \"type\".");
            }
        }

        return list;
    }

    /// <summary>Reads and parses a <c>.conflist</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="CniException">The file cannot be read (code 5) or is not valid.</exception>
    public static CniNetworkConfigList Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"Reading {path}: {e.Message}", innerException: e);
        }

        return Parse(text);
    }

    /// <summary>
    /// The stdin of plugin <paramref name="index"/>, as libcni builds it: the plugin's object with the list's
    /// <c>name</c> and <c>cniVersion</c>, <c>prevResult</c> (in the list's version) when given, and of
    /// <paramref name="runtimeConfig"/> only the capabilities the plugin declares with <c>true</c>.
    /// </summary>
    /// <param name="index">The plugin's position in <see cref="Plugins"/>.</param>
    /// <param name="prevResult">The previous result, or null.</param>
    /// <param name="runtimeConfig">The runtime's capability arguments, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a plugin's position.</exception>
    public byte[] BuildPluginConfig(int index, CniResult? prevResult = null, CniRuntimeConfig? runtimeConfig = null)
    {
        IReadOnlyList<JsonElement> plugins = Plugins ?? [];
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, plugins.Count);
        JsonElement plugin = plugins[index];
        string version = CniVersion ?? CniVersions.Latest;
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("cniVersion", version);
            w.WriteString("name", Name);
            foreach (JsonProperty p in plugin.EnumerateObject())
            {
                if (p.NameEquals("cniVersion") || p.NameEquals("name") || p.NameEquals("prevResult") || p.NameEquals("runtimeConfig"))
                {
                    continue;
                }

                p.WriteTo(w);
            }

            if (runtimeConfig is not null && plugin.TryGetProperty("capabilities", out JsonElement caps) && caps.ValueKind == JsonValueKind.Object)
            {
                JsonElement all = JsonSerializer.SerializeToElement(runtimeConfig, Json.CniJsonContext.Default.CniRuntimeConfig);
                var wanted = all.EnumerateObject()
                    .Where(p => caps.TryGetProperty(p.Name, out JsonElement on) && on.ValueKind == JsonValueKind.True)
                    .ToList();
                if (wanted.Count > 0)
                {
                    w.WriteStartObject("runtimeConfig");
                    foreach (JsonProperty p in wanted)
                    {
                        p.WriteTo(w);
                    }

                    w.WriteEndObject();
                }
            }

            if (prevResult is not null)
            {
                w.WritePropertyName("prevResult");
                using var doc = JsonDocument.Parse(prevResult.ToJson(version));
                doc.RootElement.WriteTo(w);
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni;

/// <summary>
/// The result of an ADD (and the <c>prevResult</c> of the next plugin in a chain and of CHECK and DEL), in the
/// 1.x shape. <see cref="ToJson"/> writes it in the version asked for: 1.1.0, 1.0.0 (the 1.1-only fields dropped), or
/// 0.4.0/0.3.x (every IP with its <c>version</c>, interfaces and routes with their 0.4.0 fields only).
/// </summary>
public sealed record CniResult
{
    /// <summary>The version the result was read in or is to be written in.</summary>
    [JsonPropertyName("cniVersion")]
    public string CniVersion { get; init; } = CniVersions.Latest;

    /// <summary>The interfaces made or used, host side first by convention, or null.</summary>
    [JsonPropertyName("interfaces")]
    public IReadOnlyList<CniInterface>? Interfaces { get; init; }

    /// <summary>The addresses assigned, or null.</summary>
    [JsonPropertyName("ips")]
    public IReadOnlyList<CniIpConfig>? Ips { get; init; }

    /// <summary>The routes installed in the container, or null.</summary>
    [JsonPropertyName("routes")]
    public IReadOnlyList<CniRoute>? Routes { get; init; }

    /// <summary>DNS settings, or null.</summary>
    [JsonPropertyName("dns")]
    public CniDns? Dns { get; init; }

    /// <summary>Writes the result as JSON in CNI version <paramref name="cniVersion"/> (its <c>cniVersion</c> field is set to it).</summary>
    /// <param name="cniVersion">One of <see cref="CniVersions.All"/>.</param>
    /// <exception cref="CniException">The version is not supported (code 1).</exception>
    public string ToJson(string cniVersion)
    {
        if (!CniVersions.IsSupported(cniVersion))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"cniVersion \"{cniVersion}\" is not supported by this result encoder.");
        }

        if (CniVersions.IsLegacy(cniVersion))
        {
            var legacy = new Json.LegacyResult
            {
                CniVersion = cniVersion,
                Interfaces = Interfaces?.Select(i => i with { Mtu = null, SocketPath = null, PciId = null }).ToList(),
                Ips = Ips?.Select(ip => new Json.LegacyIpConfig
                {
                    Version = ip.Address.Address.AddressFamily == AddressFamily.InterNetworkV6 ? "6" : "4",
                    Address = ip.Address,
                    Gateway = ip.Gateway,
                    Interface = ip.Interface,
                }).ToList(),
                Routes = Routes?.Select(Strip11).ToList(),
                Dns = Dns,
            };
            return JsonSerializer.Serialize(legacy, Json.CniJsonContext.Default.LegacyResult);
        }

        CniResult r = this with { CniVersion = cniVersion };
        if (CniVersions.Compare(cniVersion, CniVersions.V110) < 0)
        {
            r = r with
            {
                Interfaces = Interfaces?.Select(i => i with { Mtu = null, SocketPath = null, PciId = null }).ToList(),
                Routes = Routes?.Select(Strip11).ToList(),
            };
        }

        return JsonSerializer.Serialize(r, Json.CniJsonContext.Default.CniResult);
    }

    /// <summary>
    /// Reads a result in any supported version (a 0.x result's per-IP <c>version</c> is dropped, since the address
    /// says its family). Unknown fields are ignored, as the spec asks.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="CniException">Not JSON, or not a result (code 6); an unsupported <c>cniVersion</c> (code 1).</exception>
    public static CniResult Parse(string json) => FromElement(CniJson.ParseDocument(json, "result"), "result");

    internal static CniResult FromElement(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"{what} is not a JSON object.");
        }

        CniResult r = CniJson.Deserialize(element, Json.CniJsonContext.Default.CniResult, what);
        if (!CniVersions.IsSupported(r.CniVersion))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion, $"{what}: cniVersion \"{r.CniVersion}\" is not supported (supported: {string.Join(", ", CniVersions.All)}).");
        }

        return r;
    }

    private static CniRoute Strip11(CniRoute r) => r with { Mtu = null, AdvMss = null, Priority = null, Table = null, Scope = null };
}

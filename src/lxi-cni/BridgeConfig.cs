using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using LinuxIsolation.Cni;

namespace LinuxIsolation.LxiCni;

/// <summary>The reference bridge plugin's own fields (containernetworking/plugins plugins/main/bridge, NetConf).</summary>
internal sealed record BridgeConfig
{
    [JsonPropertyName("bridge")]
    public string? Bridge { get; init; }

    [JsonPropertyName("isGateway")]
    public bool IsGateway { get; init; }

    [JsonPropertyName("isDefaultGateway")]
    public bool IsDefaultGateway { get; init; }

    [JsonPropertyName("forceAddress")]
    public bool ForceAddress { get; init; }

    [JsonPropertyName("ipMasq")]
    public bool IpMasq { get; init; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; init; }

    [JsonPropertyName("hairpinMode")]
    public bool HairpinMode { get; init; }

    [JsonPropertyName("promiscMode")]
    public bool PromiscMode { get; init; }

    [JsonPropertyName("vlan")]
    public int? Vlan { get; init; }

    /// <summary>lxi-cni's own: run <c>ipam.type</c> from CNI_PATH even when it is host-local, which is otherwise built in.</summary>
    [JsonPropertyName("delegateIpam")]
    public bool DelegateIpam { get; init; }

    /// <summary>The bridge's name: "cni0" when the configuration names none, as the reference plugin.</summary>
    [JsonIgnore]
    public string BridgeName => string.IsNullOrEmpty(Bridge) ? "cni0" : Bridge;

    internal static BridgeConfig From(CniNetworkConfig config)
    {
        BridgeConfig c;
        try
        {
            c = config.Raw.Deserialize(PluginJsonContext.Default.BridgeConfig)!;
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodeFailure, $"network configuration field {e.Path} does not decode: {e.Message}");
        }

        try
        {
            CniEnvironment.ValidateInterfaceName(c.BridgeName);
        }
        catch (CniException)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"bridge\" \"{c.BridgeName}\" is not a valid interface name (1 to 15 bytes, no '/', ':' or whitespace).");
        }

        if (c.Mtu is < 68 or > 65535)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"mtu\" {c.Mtu} is outside 68 to 65535.");
        }

        if (c.Vlan is < 0 or > 4094)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"vlan\" {c.Vlan} is outside 0 to 4094.");
        }

        return c;
    }
}

/// <summary>host-local's configuration (plugins/ipam/host-local, IPAMConfig and Range).</summary>
internal sealed record HostLocalConfig
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("subnet")]
    public string? Subnet { get; init; }

    [JsonPropertyName("rangeStart")]
    public string? RangeStart { get; init; }

    [JsonPropertyName("rangeEnd")]
    public string? RangeEnd { get; init; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; init; }

    [JsonPropertyName("ranges")]
    public IReadOnlyList<IReadOnlyList<HostLocalRange>>? Ranges { get; init; }

    [JsonPropertyName("routes")]
    public IReadOnlyList<HostLocalRoute>? Routes { get; init; }

    [JsonPropertyName("dataDir")]
    public string? DataDir { get; init; }
}

internal sealed record HostLocalRange
{
    [JsonPropertyName("subnet")]
    public string? Subnet { get; init; }

    [JsonPropertyName("rangeStart")]
    public string? RangeStart { get; init; }

    [JsonPropertyName("rangeEnd")]
    public string? RangeEnd { get; init; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; init; }
}

internal sealed record HostLocalRoute
{
    [JsonPropertyName("dst")]
    public string? Dst { get; init; }

    [JsonPropertyName("gw")]
    public string? Gw { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BridgeConfig))]
[JsonSerializable(typeof(HostLocalConfig))]
internal sealed partial class PluginJsonContext : JsonSerializerContext
{
}

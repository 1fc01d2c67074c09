using System.Text.Json.Serialization;

namespace LinuxIsolation.Cni.Json;

/// <summary>The source-generated serializers of the spec's types (no reflection: NativeAOT- and trim-clean).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CniNetworkConfig))]
[JsonSerializable(typeof(CniNetworkConfigList))]
[JsonSerializable(typeof(CniResult))]
[JsonSerializable(typeof(LegacyResult))]
[JsonSerializable(typeof(CniError))]
[JsonSerializable(typeof(CniVersionResult))]
[JsonSerializable(typeof(CniRuntimeConfig))]
internal sealed partial class CniJsonContext : JsonSerializerContext
{
}

using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>
/// The base of every object of the runtime-spec model: properties this model does not know are kept in
/// <see cref="ExtensionData"/> when read and written back unchanged, and are otherwise ignored, as the spec's
/// "Extensibility" section requires (config.md: "Runtimes MAY log unknown properties but MUST otherwise ignore them").
/// </summary>
public abstract class OciObject
{
    /// <summary>The properties of this JSON object that the model does not define, by name, or null when there were none.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

using System.Collections.Generic;
using System.Text.Json.Serialization;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Oci.State;

namespace LinuxIsolation.Oci;

/// <summary>
/// The source-generated serializers of the model (no reflection: AOT and trimming safe). Absent properties are
/// null and are left out when written; JSON is read strictly (no comments, no trailing commas, numbers only as
/// numbers), as Go's encoding/json reads config.json for runc.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(OciState))]
[JsonSerializable(typeof(IList<OciState>))]
[JsonSerializable(typeof(OciFeatures))]
[JsonSerializable(typeof(OciContainerProcessState))]
[JsonSerializable(typeof(OciContainerRecord))]
[JsonSerializable(typeof(OciProcess))]
[JsonSerializable(typeof(IList<int>))]
internal sealed partial class OciJsonContext : JsonSerializerContext
{
}

using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.mountExtensions</c> of the features structure.</summary>
public sealed class OciMountExtensionsFeatures : OciObject
{
    /// <summary><c>idmap</c>: id-mapped mounts (mount_setattr MOUNT_ATTR_IDMAP).</summary>
    [JsonPropertyName("idmap")]
    public OciFeatureSwitch? IdMap { get; set; }
}

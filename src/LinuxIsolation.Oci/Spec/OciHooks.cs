using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary>
/// <c>hooks</c>: the programs run at the points of the lifecycle (config.md "POSIX-platform Hooks"); each list
/// runs in its order. See <see cref="Hooks.OciHookKind"/> for when and in which namespace each kind runs.
/// </summary>
public sealed class OciHooks : OciObject
{
    /// <summary><c>prestart</c> (DEPRECATED): during create, after the namespaces exist, before pivot_root; in the runtime namespace.</summary>
    [JsonPropertyName("prestart")]
    public IList<OciHook>? Prestart { get; set; }

    /// <summary><c>createRuntime</c>: during create, after <see cref="Prestart"/>, before pivot_root; in the runtime namespace.</summary>
    [JsonPropertyName("createRuntime")]
    public IList<OciHook>? CreateRuntime { get; set; }

    /// <summary><c>createContainer</c>: during create, after <see cref="CreateRuntime"/>, before pivot_root; in the container's namespaces.</summary>
    [JsonPropertyName("createContainer")]
    public IList<OciHook>? CreateContainer { get; set; }

    /// <summary><c>startContainer</c>: during start, before the user program runs; in the container (its path resolves there).</summary>
    [JsonPropertyName("startContainer")]
    public IList<OciHook>? StartContainer { get; set; }

    /// <summary><c>poststart</c>: after the user program started, before start returns; in the runtime namespace; failures are warnings.</summary>
    [JsonPropertyName("poststart")]
    public IList<OciHook>? Poststart { get; set; }

    /// <summary><c>poststop</c>: after the container is deleted, before delete returns; in the runtime namespace; failures are warnings.</summary>
    [JsonPropertyName("poststop")]
    public IList<OciHook>? Poststop { get; set; }
}

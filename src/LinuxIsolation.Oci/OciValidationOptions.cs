namespace LinuxIsolation.Oci;

/// <summary>What <see cref="OciValidator.Validate"/> checks beyond the document itself.</summary>
public sealed class OciValidationOptions
{
    /// <summary>
    /// The absolute bundle directory: when set, <c>root.path</c> must name a directory (relative to it when
    /// relative). Null checks only the document.
    /// </summary>
    public string? BundleDirectory { get; init; }

    /// <summary>Require <c>process</c> (start needs it; lxi's create prepares it). Default true.</summary>
    public bool RequireProcess { get; init; } = true;

    /// <summary>
    /// Check against this host: every <c>linux.namespaces[].path</c> must be a namespace file of its type, and
    /// a <c>net.*</c> sysctl must not target the host's network namespace. Default false (document only).
    /// </summary>
    public bool CheckHost { get; init; }
}

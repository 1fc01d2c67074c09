namespace LinuxIsolation.Namespaces;

/// <summary>Test seam: a step of <see cref="NetworkNamespace.CreateNamed(string)"/> made to fail, to prove the undo.</summary>
internal enum NamedNamespaceFault
{
    /// <summary>No failure injected.</summary>
    None,

    /// <summary>The bind mount gets a source that does not exist, so the kernel refuses it (ENOENT).</summary>
    BindMount,

    /// <summary>Opening the namespace after the bind mount succeeded reports a failure (EMFILE).</summary>
    OpenAfterMount,
}

namespace LinuxIsolation.Processes;

/// <summary>What the child makes every mount of its new mount namespace before it mounts anything (and, for <see cref="Shared"/> and <see cref="Unbindable"/>, the new root after the root change).</summary>
public enum MountPropagation
{
    /// <summary>rslave (<c>mount --make-rslave /</c>): mounts from the host still arrive, nothing goes back (runc's default).</summary>
    Slave = 0,

    /// <summary>rprivate (<c>mount --make-rprivate /</c>): no propagation either way.</summary>
    Private = 1,

    /// <summary>
    /// rshared for the container's own mounts (OCI <c>rootfsPropagation: "shared"</c>): the namespace starts rslave
    /// like <see cref="Slave"/>, so nothing reaches the host's mounts, and the new root is made rshared after the
    /// root change (<c>mount --make-rshared /</c>), so binds of it inside the container see later mounts.
    /// </summary>
    Shared = 2,

    /// <summary>
    /// runbindable (OCI <c>"unbindable"</c>): rslave first, then the new root made runbindable after the root
    /// change (<c>mount --make-runbindable /</c>), so nothing in it can be bind-mounted.
    /// </summary>
    Unbindable = 3,
}

namespace LinuxIsolation.Processes;

/// <summary>What the child makes every mount of its new mount namespace before it mounts anything.</summary>
public enum MountPropagation
{
    /// <summary>rslave (<c>mount --make-rslave /</c>): mounts from the host still arrive, nothing goes back (runc's default).</summary>
    Slave = 0,

    /// <summary>rprivate (<c>mount --make-rprivate /</c>): no propagation either way.</summary>
    Private = 1,
}

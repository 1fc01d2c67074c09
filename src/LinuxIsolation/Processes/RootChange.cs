namespace LinuxIsolation.Processes;

/// <summary>How the process's root directory is changed to <see cref="IsolatedProcessStartInfo.RootDirectory"/>.</summary>
public enum RootChange
{
    /// <summary>
    /// pivot_root(2): the new root becomes the mount namespace's root and the old one is detached, so the host's
    /// files cannot be reached (the way runc and crun do it). Needs a new or joined mount namespace.
    /// </summary>
    PivotRoot = 0,

    /// <summary>chroot(2), as the <c>chroot</c> command does: escapable by a process keeping CAP_SYS_CHROOT.</summary>
    Chroot = 1,
}

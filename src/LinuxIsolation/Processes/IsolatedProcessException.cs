namespace LinuxIsolation.Processes;

/// <summary>
/// Starting an <see cref="IsolatedProcess"/> failed at <see cref="Step"/>, e.g.
/// <c>pivot_root("/var/lib/c4/rootfs"): Invalid argument (EINVAL) (new root must be a mount point, not on a shared mount)</c>.
/// No child is left behind.
/// </summary>
public sealed class IsolatedProcessException : LinuxSyscallException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The step that failed.</param>
    /// <param name="errno">The errno.</param>
    /// <param name="syscall">The call that failed.</param>
    /// <param name="path">The path it worked on, or null.</param>
    /// <param name="detail">The likely cause, or null.</param>
    public IsolatedProcessException(SpawnStep step, int errno, string syscall, string? path, string? detail)
        : base(errno, syscall, path, detail)
    {
        Step = step;
    }

    /// <summary>The step that failed.</summary>
    public SpawnStep Step { get; }
}

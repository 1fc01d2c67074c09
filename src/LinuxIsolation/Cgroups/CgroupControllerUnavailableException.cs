namespace LinuxIsolation.Cgroups;

/// <summary>
/// A controller the operation needs is not available to the cgroup. The message says why, e.g. <c>the memory
/// controller is not available in the cgroup v2 hierarchy at /sys/fs/cgroup/unified: it is bound to a cgroup v1
/// hierarchy (/sys/fs/cgroup/memory)</c>. Its errno is <c>ENOENT</c> (the controller's files do not exist).
/// </summary>
public sealed class CgroupControllerUnavailableException : CgroupException
{
    internal CgroupControllerUnavailableException(string controller, string cgroupPath, string message, string? v1MountPoint)
        : base(LinuxIsolation.Errno.ENOENT, "use controller", cgroupPath)
    {
        Controller = controller;
        V1MountPoint = v1MountPoint;
        Explanation = message;
    }

    /// <summary>The controller, e.g. "memory".</summary>
    public string Controller { get; }

    /// <summary>Where the controller's cgroup v1 hierarchy is mounted when it is bound to v1, else null.</summary>
    public string? V1MountPoint { get; }

    /// <summary>The explanation, the same text as <see cref="Message"/>.</summary>
    public string Explanation { get; }

    /// <inheritdoc />
    public override string Message => Explanation;
}

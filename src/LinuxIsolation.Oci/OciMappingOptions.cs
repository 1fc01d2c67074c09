using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Oci;

/// <summary>How <see cref="OciBundleMapper.Map"/> maps a bundle, and what it assumes about the host (for tests; null reads this process's).</summary>
public sealed class OciMappingOptions
{
    /// <summary>Change the root with chroot instead of pivot_root (runc's <c>--no-pivot</c>, for a root file system on a ramdisk).</summary>
    public bool NoPivot { get; init; }

    /// <summary>The cgroup v2 hierarchy to place the cgroup in; null finds it from /proc/self/mountinfo (and maps no cgroup when there is none).</summary>
    public CgroupHierarchy? CgroupHierarchy { get; init; }

    /// <summary>
    /// The cgroup (relative to the hierarchy, "/a/b") whose parent a relative <c>linux.cgroupsPath</c> (or the
    /// default, the container id) is placed below, as runc does; null reads this process's from /proc/self/cgroup.
    /// </summary>
    public string? OwnCgroup { get; init; }

    /// <summary>The capability bounding set of the runtime (bit n = capability n); null reads CapBnd of /proc/self/status. Capabilities outside it are dropped with a warning (the spec says not to fail).</summary>
    public ulong? BoundingSet { get; init; }

    /// <summary>Whether the runtime may raise hard resource limits (CAP_SYS_RESOURCE in its effective set); null reads CapEff of /proc/self/status.</summary>
    public bool? CanRaiseHardLimits { get; init; }

    /// <summary>Test hook: the runtime's own hard limit per RLIMIT_* number, instead of getrlimit.</summary>
    internal System.Func<int, ulong>? HardLimitOf { get; init; }
}

using System;

namespace LinuxIsolation.Processes;

/// <summary>
/// A mount made inside the new (or joined) mount namespace of an <see cref="IsolatedProcess"/> before its root changes.
/// <see cref="Target"/> is the absolute path the process sees (below the new root when there is one); missing
/// mount points are created.
/// </summary>
public sealed record IsolatedMount
{
    /// <summary>
    /// The propagation of this mount, set after it is made (<c>mount --make-rprivate TARGET</c>, OCI mount options
    /// "private", "rshared", ...), recursively for a recursive bind; null leaves what it inherits (a new mount in
    /// the child's rslave namespace is a slave of its parent's peers, or private).
    /// </summary>
    public MountPropagation? Propagation { get; init; }

    /// <summary>What is mounted.</summary>
    public required MountKind Kind { get; init; }

    /// <summary>The host path for <see cref="MountKind.Bind"/>; null otherwise.</summary>
    public string? Source { get; init; }

    /// <summary>The absolute path inside the process's view of the file system.</summary>
    public required string Target { get; init; }

    /// <summary>Mount read-only.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>For binds: include the mounts below the source (<c>--rbind</c>); read-only applies to all of them (Linux 5.12).</summary>
    public bool Recursive { get; init; } = true;

    /// <summary>Set nosuid.</summary>
    public bool NoSuid { get; init; }

    /// <summary>
    /// Set nodev: device nodes on this mount cannot be opened. Default true; set it false only for a bind mount
    /// that is meant to carry device nodes (procfs, sysfs and mqueue are always nodev, a <see cref="MountKind.Dev"/>
    /// and devpts never).
    /// </summary>
    public bool NoDev { get; init; } = true;

    /// <summary>Set noexec.</summary>
    public bool NoExec { get; init; }

    /// <summary>
    /// How a <see cref="MountKind.Tmpfs"/> or <see cref="MountKind.Bind"/> mount records access times
    /// (<c>-o strictatime</c>, <c>noatime</c>; OCI mount options of those names; a bind gets it by a remount, on
    /// its submounts too when recursive); null keeps what it has (a new tmpfs: relatime). Only tmpfs and binds take it.
    /// </summary>
    public MountAccessTime? AccessTime { get; init; }

    /// <summary>Filesystem options (tmpfs: <c>size=64m,mode=1777</c>; devpts), or null.</summary>
    public string? Options { get; init; }

    /// <summary>A bind mount of <paramref name="source"/> at <paramref name="target"/> (<c>mount --rbind</c>, <c>-o ro</c>).</summary>
    public static IsolatedMount Bind(string source, string target, bool readOnly = false, bool recursive = true) =>
        new() { Kind = MountKind.Bind, Source = source, Target = target, ReadOnly = readOnly, Recursive = recursive };

    /// <summary>A tmpfs at <paramref name="target"/> (<c>mount -t tmpfs -o OPTIONS tmpfs TARGET</c>).</summary>
    public static IsolatedMount Tmpfs(string target, string? options = null) =>
        new() { Kind = MountKind.Tmpfs, Target = target, Options = options, NoSuid = true, NoDev = true };

    /// <summary>procfs at <paramref name="target"/>, showing the process's own PID namespace.</summary>
    public static IsolatedMount Proc(string target = "/proc") => new() { Kind = MountKind.Proc, Target = target };

    /// <summary>sysfs at <paramref name="target"/>, read-only.</summary>
    public static IsolatedMount Sysfs(string target = "/sys") => new() { Kind = MountKind.Sysfs, Target = target, ReadOnly = true };

    /// <summary>A new devpts instance at <paramref name="target"/>.</summary>
    public static IsolatedMount Devpts(string target = "/dev/pts") => new() { Kind = MountKind.Devpts, Target = target };

    /// <summary>The POSIX message queue filesystem at <paramref name="target"/>; needs a new IPC namespace to show only its own queues.</summary>
    public static IsolatedMount Mqueue(string target = "/dev/mqueue") => new() { Kind = MountKind.Mqueue, Target = target };

    /// <summary>A minimal /dev at <paramref name="target"/> (see <see cref="MountKind.Dev"/>).</summary>
    public static IsolatedMount MinimalDev(string target = "/dev") => new() { Kind = MountKind.Dev, Target = target };

    /// <inheritdoc />
    public override string ToString() => Source is null ? $"{Kind} on {Target}" : $"{Kind} {Source} on {Target}";

    internal void Validate(string parameterName)
    {
        PathRules.RequireAbsolute(Target, parameterName, "a mount target");
        if (Kind == MountKind.Bind)
        {
            if (Source is null)
            {
                throw new ArgumentException($"The bind mount on \"{Target}\" has no source.", parameterName);
            }

            PathRules.RequireAbsolute(Source, parameterName, "a bind mount source");
            if (!System.IO.Path.Exists(Source))
            {
                throw new ArgumentException($"The bind mount source \"{Source}\" does not exist.", parameterName);
            }
        }
        else if (Source is not null)
        {
            throw new ArgumentException($"Only bind mounts take a source; the {Kind} mount on \"{Target}\" has one.", parameterName);
        }

        if (Kind is < MountKind.Bind or > MountKind.Dev) // contiguous (a range check: Enum.IsDefined builds reflection tables on first use)
        {
            throw new ArgumentException($"Unknown mount kind {(int)Kind}.", parameterName);
        }

        PathRules.RequireNoNul(Options, parameterName);
        if (AccessTime is not null && (Kind is not (MountKind.Tmpfs or MountKind.Bind) || !Enum.IsDefined(AccessTime.Value)))
        {
            throw new ArgumentException($"Only tmpfs and bind mounts take an access time setting (the {Kind} mount on \"{Target}\" has {AccessTime}).", parameterName);
        }
    }
}

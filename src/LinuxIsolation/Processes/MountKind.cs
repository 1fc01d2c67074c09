namespace LinuxIsolation.Processes;

/// <summary>What an <see cref="IsolatedMount"/> mounts.</summary>
public enum MountKind
{
    /// <summary>A bind mount of a host path (<c>mount --bind</c>, or <c>--rbind</c> when recursive).</summary>
    Bind = 1,

    /// <summary>A tmpfs.</summary>
    Tmpfs = 2,

    /// <summary>procfs, mounted by the child from inside its new PID namespace.</summary>
    Proc = 3,

    /// <summary>sysfs, read-only (a read-only recursive bind of the host's /sys where mounting is refused).</summary>
    Sysfs = 4,

    /// <summary>A new devpts instance (<c>newinstance,ptmxmode=0666,mode=0620</c>).</summary>
    Devpts = 5,

    /// <summary>The POSIX message queue filesystem.</summary>
    Mqueue = 6,

    /// <summary>
    /// A minimal /dev: a tmpfs with null, zero, full, random, urandom and tty (device nodes, or bind mounts of
    /// the host's inside a user namespace), ptmx, fd, stdin, stdout and stderr links, devpts on pts, a tmpfs on
    /// shm and, with a new IPC namespace, mqueue.
    /// </summary>
    Dev = 7,
}

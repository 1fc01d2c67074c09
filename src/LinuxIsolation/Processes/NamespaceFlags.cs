using System;

namespace LinuxIsolation.Processes;

/// <summary>
/// Kinds of Linux namespace, as the <c>CLONE_NEW*</c> flags of clone(2): combine them to ask for several new
/// namespaces at once (<c>unshare --mount --pid --uts ...</c>).
/// </summary>
[Flags]
public enum NamespaceFlags : long
{
    /// <summary>No namespace.</summary>
    None = 0,

    /// <summary>A time namespace (<c>CLONE_NEWTIME</c>, Linux 5.6).</summary>
    Time = 0x00000080,

    /// <summary>A mount namespace (<c>CLONE_NEWNS</c>); needs CAP_SYS_ADMIN.</summary>
    Mount = 0x00020000,

    /// <summary>A cgroup namespace (<c>CLONE_NEWCGROUP</c>, Linux 4.6), rooted at the cgroup the process starts in.</summary>
    Cgroup = 0x02000000,

    /// <summary>A UTS namespace (<c>CLONE_NEWUTS</c>): its own host and domain name.</summary>
    Uts = 0x04000000,

    /// <summary>An IPC namespace (<c>CLONE_NEWIPC</c>): its own System V IPC objects and POSIX message queues.</summary>
    Ipc = 0x08000000,

    /// <summary>A user namespace (<c>CLONE_NEWUSER</c>): its own uid and gid mappings and capabilities.</summary>
    User = 0x10000000,

    /// <summary>A PID namespace (<c>CLONE_NEWPID</c>): the process is PID 1 in it.</summary>
    Pid = 0x20000000,

    /// <summary>A network namespace (<c>CLONE_NEWNET</c>): only a loopback device, down.</summary>
    Network = 0x40000000,
}

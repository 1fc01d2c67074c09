namespace LinuxIsolation.Namespaces;

/// <summary>
/// The kinds of Linux namespace. Each value is the kernel's <c>CLONE_NEW*</c> flag, which is also the
/// <c>nstype</c> argument of <c>setns(2)</c> and the result of the <c>NS_GET_NSTYPE</c> ioctl.
/// </summary>
/// <remarks>The file name under <c>/proc/PID/ns/</c> is given by <see cref="NamespaceKindExtensions.ProcName"/>.</remarks>
public enum NamespaceKind
{
    /// <summary>Mount namespace (<c>CLONE_NEWNS</c>, <c>/proc/PID/ns/mnt</c>).</summary>
    Mount = 0x00020000,

    /// <summary>UTS namespace: host and domain name (<c>CLONE_NEWUTS</c>, <c>uts</c>).</summary>
    Uts = 0x04000000,

    /// <summary>IPC namespace: System V IPC and POSIX message queues (<c>CLONE_NEWIPC</c>, <c>ipc</c>).</summary>
    Ipc = 0x08000000,

    /// <summary>Network namespace (<c>CLONE_NEWNET</c>, <c>net</c>).</summary>
    Network = 0x40000000,

    /// <summary>PID namespace (<c>CLONE_NEWPID</c>, <c>pid</c>).</summary>
    Pid = 0x20000000,

    /// <summary>User namespace (<c>CLONE_NEWUSER</c>, <c>user</c>).</summary>
    User = 0x10000000,

    /// <summary>Cgroup namespace (<c>CLONE_NEWCGROUP</c>, <c>cgroup</c>; Linux 4.6).</summary>
    Cgroup = 0x02000000,

    /// <summary>Time namespace (<c>CLONE_NEWTIME</c>, <c>time</c>; Linux 5.6).</summary>
    Time = 0x00000080,
}

namespace LinuxIsolation.Seccomp;

/// <summary>What a seccomp filter tells the kernel to do with a system call (the <c>SECCOMP_RET_*</c> actions).</summary>
public enum SeccompActionKind
{
    /// <summary><c>SECCOMP_RET_KILL_PROCESS</c> (Linux 4.14): the whole process dies of SIGSYS, as if it dumped core.</summary>
    KillProcess,

    /// <summary><c>SECCOMP_RET_KILL_THREAD</c> (Linux 3.5, then named <c>SECCOMP_RET_KILL</c>): the calling thread dies of SIGSYS.</summary>
    KillThread,

    /// <summary><c>SECCOMP_RET_TRAP</c> (Linux 3.5): the call is not made and the thread gets a SIGSYS it can handle.</summary>
    Trap,

    /// <summary><c>SECCOMP_RET_ERRNO</c> (Linux 3.5): the call is not made and returns -1 with the errno in the action's data.</summary>
    Errno,

    /// <summary><c>SECCOMP_RET_TRACE</c> (Linux 3.5): a ptrace tracer is told (PTRACE_EVENT_SECCOMP with the data); without one, ENOSYS.</summary>
    Trace,

    /// <summary><c>SECCOMP_RET_LOG</c> (Linux 4.14): the call is made and logged.</summary>
    Log,

    /// <summary><c>SECCOMP_RET_ALLOW</c> (Linux 3.5): the call is made.</summary>
    Allow,

    /// <summary>
    /// <c>SECCOMP_RET_USER_NOTIF</c> (Linux 5.0): the thread waits while the filter's listener is told; the listener
    /// answers (see <c>SeccompNotificationListener</c>). The filter is installed with
    /// <c>SECCOMP_FILTER_FLAG_NEW_LISTENER</c>.
    /// </summary>
    UserNotify,
}

using System.Collections.Generic;

namespace LinuxIsolation.Seccomp;

/// <summary>Ready-made seccomp filters.</summary>
public static class SeccompProfiles
{
    private const int EPERM = 1;
    private const int ENOSYS = 38;

    // Namespace flags of clone(2) (linux/sched.h): CLONE_NEWNS 0x20000, CLONE_NEWCGROUP 0x2000000, CLONE_NEWUTS
    // 0x4000000, CLONE_NEWIPC 0x8000000, CLONE_NEWUSER 0x10000000, CLONE_NEWPID 0x20000000, CLONE_NEWNET 0x40000000.
    private const ulong CloneNamespaceFlags = 0x7e020000;

    // personality(2) values a program may set (sys/personality.h): PER_LINUX, PER_LINUX32, UNAME26,
    // UNAME26 | PER_LINUX32, and 0xffffffff, which only queries.
    private static readonly ulong[] Personalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    private const int AF_VSOCK = 40;

    private static SeccompFilter? s_dockerDefault;

    /// <summary>
    /// A filter equal in effect to Docker's (moby's) default seccomp profile for a container without the
    /// capabilities that widen it (CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, CAP_SYS_BOOT, ...; none of
    /// them is in <see cref="Processes.Capabilities.ContainerDefaults"/>): an allow-list whose default is
    /// ERRNO(EPERM), covering x86_64 with i386 and x32 (or aarch64).
    /// </summary>
    /// <remarks>
    /// <para>Allowed: the ordinary calls of programs (files, memory, signals, sockets, time, scheduling, SysV and
    /// POSIX IPC, ids, xattrs, io_uring is not among them, as in Docker since 2023); <c>ptrace</c>,
    /// <c>process_vm_readv</c> and <c>process_vm_writev</c> (the kernel's own checks apply, Docker allows them from
    /// Linux 4.8); <c>arch_prctl</c> and <c>modify_ldt</c> on x86. Conditioned on arguments: <c>personality</c> only
    /// with 0, PER_LINUX32, UNAME26, both, or 0xffffffff (a query); <c>clone</c> only without namespace flags
    /// (CLONE_NEWNS, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWCGROUP); <c>socket</c> of any family but
    /// AF_VSOCK. <c>clone3</c> fails with ENOSYS (its flags are in memory a filter cannot read, so libc falls back
    /// to clone).</para>
    /// <para>Refused with EPERM, among others: <c>mount</c>, <c>umount2</c>, <c>unshare</c>, <c>setns</c>,
    /// <c>pivot_root</c>, <c>chroot</c>, <c>keyctl</c>, <c>add_key</c>, <c>request_key</c>, <c>bpf</c>,
    /// <c>perf_event_open</c>, <c>userfaultfd</c>, <c>io_uring_*</c>, <c>kexec_*</c>, module loading,
    /// <c>reboot</c>, <c>swapon</c>, clock setting, <c>open_by_handle_at</c>, <c>fsopen</c> and the new mount API,
    /// <c>lookup_dcookie</c>, <c>quotactl</c>, <c>acct</c>, <c>vhangup</c>, <c>iopl</c>/<c>ioperm</c>,
    /// <c>syslog</c>, <c>kcmp</c>, <c>pidfd_getfd</c>, NUMA policy calls.</para>
    /// <para>Shared and read-only (setting a property or changing a list throws
    /// <see cref="System.InvalidOperationException"/> or <see cref="System.NotSupportedException"/>): use
    /// <see cref="SeccompFilter.Clone"/> for a copy to change. Equivalent to Docker's <c>--security-opt
    /// seccomp=default</c>.</para>
    /// </remarks>
    public static SeccompFilter DockerDefault => System.Threading.LazyInitializer.EnsureInitialized(ref s_dockerDefault, CreateDockerDefault);

    private static SeccompFilter CreateDockerDefault()
    {
        SeccompArchitecture native = SeccompSyscalls.NativeArchitecture;
        var filter = new SeccompFilter(SeccompAction.Errno(EPERM));
        if (native == SeccompArchitecture.X86_64)
        {
            filter.Architectures.Add(SeccompArchitecture.I386);
            filter.Architectures.Add(SeccompArchitecture.X32);
        }

        var architectures = new List<SeccompArchitecture> { native };
        foreach (SeccompArchitecture a in filter.Architectures)
        {
            architectures.Add(a);
        }

        List<string> allowed = Known(architectures, Allowed);
        if (native == SeccompArchitecture.X86_64)
        {
            allowed.AddRange(Known(architectures, ["arch_prctl", "modify_ldt"]));
        }

        filter.Add(SeccompAction.Allow, [.. allowed]);
        foreach (ulong persona in Personalities)
        {
            filter.Add("personality", SeccompAction.Allow, SeccompCondition.Equal(0, persona));
        }

        // clone's first argument is the flags on x86 and arm64 (s390 swaps the first two, not covered here).
        filter.Add("clone", SeccompAction.Allow, SeccompCondition.MaskedEqual(0, CloneNamespaceFlags, 0));
        filter.Add("socket", SeccompAction.Allow, SeccompCondition.NotEqual(0, AF_VSOCK));
        filter.Add(SeccompAction.Errno(ENOSYS), "clone3");
        filter.Freeze();
        return filter;
    }

    /// <summary>The names of <paramref name="names"/> that one of <paramref name="architectures"/> has (runc skips the others too).</summary>
    internal static List<string> Known(List<SeccompArchitecture> architectures, IEnumerable<string> names)
    {
        var known = new List<string>();
        foreach (string name in names)
        {
            foreach (SeccompArchitecture a in architectures)
            {
                if (SeccompSyscalls.TryGetNumber(a, name, out _))
                {
                    known.Add(name);
                    break;
                }
            }
        }

        return known;
    }

    // Docker's unconditional allow-list, by area. Written from the profile's meaning: what an unprivileged
    // program needs, nothing that changes the system, other namespaces, the kernel's keyrings or its programs.
    private static readonly string[] Allowed =
    [
        // files and directories
        "access", "faccessat", "faccessat2", "chdir", "fchdir", "getcwd", "chmod", "fchmod", "fchmodat", "fchmodat2",
        "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32", "creat", "open", "openat", "openat2",
        "close", "close_range", "dup", "dup2", "dup3", "fcntl", "fcntl64", "flock", "fsync", "fdatasync", "sync",
        "syncfs", "sync_file_range", "fallocate", "fadvise64", "fadvise64_64", "readahead", "ftruncate", "ftruncate64",
        "truncate", "truncate64", "getdents", "getdents64", "link", "linkat", "symlink", "symlinkat", "readlink",
        "readlinkat", "mkdir", "mkdirat", "mknod", "mknodat", "rename", "renameat", "renameat2", "rmdir", "unlink",
        "unlinkat", "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64", "newfstatat", "statx",
        "statfs", "statfs64", "fstatfs", "fstatfs64", "umask", "utime", "utimes", "utimensat", "utimensat_time64",
        "futimesat", "name_to_handle_at", "copy_file_range", "sendfile", "sendfile64", "splice", "tee", "vmsplice",
        "lseek", "_llseek", "read", "readv", "pread64", "preadv", "preadv2", "write", "writev", "pwrite64", "pwritev",
        "pwritev2", "ioctl", "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark",
        // extended attributes
        "getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr", "fsetxattr", "listxattr", "llistxattr",
        "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
        // memory
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync", "mlock", "mlock2",
        "mlockall", "munlock", "munlockall", "remap_file_pages", "memfd_create", "memfd_secret", "membarrier",
        "pkey_alloc", "pkey_free", "pkey_mprotect", "map_shadow_stack",
        // processes, threads, ids
        "execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4", "waitid", "waitpid", "getpid", "getppid",
        "gettid", "getpgid", "getpgrp", "setpgid", "getsid", "setsid", "getuid", "getuid32", "geteuid", "geteuid32",
        "getgid", "getgid32", "getegid", "getegid32", "getresuid", "getresuid32", "getresgid", "getresgid32", "setuid",
        "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid", "setregid32", "setresuid", "setresuid32",
        "setresgid", "setresgid32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32", "getgroups", "getgroups32",
        "setgroups", "setgroups32", "capget", "capset", "prctl", "seccomp", "set_tid_address", "set_robust_list",
        "get_robust_list", "set_thread_area", "get_thread_area", "rseq", "getrlimit", "setrlimit", "ugetrlimit",
        "prlimit64", "getrusage", "getpriority", "setpriority", "ioprio_get", "ioprio_set", "pidfd_open",
        "pidfd_send_signal", "process_mrelease", "ptrace", "process_vm_readv", "process_vm_writev", "uname", "sysinfo",
        "getcpu", "getrandom", "restart_syscall", "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
        // scheduling
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr", "sched_getparam",
        "sched_setparam", "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
        "sched_rr_get_interval", "sched_rr_get_interval_time64",
        // signals
        "kill", "tkill", "tgkill", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sigaltstack", "signalfd",
        "signalfd4", "sigprocmask", "sigreturn", "pause",
        // waiting and events
        "futex", "futex_time64", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue", "poll", "ppoll",
        "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64", "epoll_create", "epoll_create1",
        "epoll_ctl", "epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2", "eventfd",
        "eventfd2", "pipe", "pipe2",
        // asynchronous I/O (not io_uring)
        "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
        // time
        "time", "gettimeofday", "clock_gettime", "clock_gettime64", "clock_getres", "clock_getres_time64",
        "clock_nanosleep", "clock_nanosleep_time64", "nanosleep", "adjtimex", "clock_adjtime", "clock_adjtime64",
        "alarm", "getitimer", "setitimer", "times", "timer_create", "timer_delete", "timer_getoverrun",
        "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create", "timerfd_gettime",
        "timerfd_gettime64", "timerfd_settime", "timerfd_settime64",
        // sockets (socket itself is conditioned)
        "socketpair", "socketcall", "bind", "connect", "listen", "accept", "accept4", "getsockname", "getpeername",
        "getsockopt", "setsockopt", "send", "sendto", "sendmsg", "sendmmsg", "recv", "recvfrom", "recvmsg", "recvmmsg",
        "recvmmsg_time64", "shutdown",
        // SysV and POSIX IPC
        "ipc", "msgget", "msgctl", "msgsnd", "msgrcv", "semget", "semctl", "semop", "semtimedop", "semtimedop_time64",
        "shmget", "shmctl", "shmat", "shmdt", "mq_open", "mq_unlink", "mq_getsetattr", "mq_notify", "mq_timedsend",
        "mq_timedsend_time64", "mq_timedreceive", "mq_timedreceive_time64",
        // cache statistics (Linux 6.5)
        "cachestat",
    ];
}

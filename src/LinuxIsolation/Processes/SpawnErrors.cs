namespace LinuxIsolation.Processes;

/// <summary>Turns a failed step and errno into an <see cref="IsolatedProcessException"/> with the call's name and a hint.</summary>
internal static class SpawnErrors
{
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int EBUSY = 16;
    private const int EINVAL = 22;
    private const int EBADF = 9;
    private const int EOPNOTSUPP = 95;
    private const int ENOSPC = 28;
    private const int ETXTBSY = 26;
    private const int ELOOP = 40;
    private const int EXDEV = 18;
    private const int ENODEV = 19;
    private const int EROFS = 30;

    public static IsolatedProcessException Create(SpawnStep step, int errno, string? path, IsolatedProcessStartInfo info)
    {
        string syscall = step switch
        {
            SpawnStep.None => "lxi_spawn",
            SpawnStep.Pipe => "pipe2",
            SpawnStep.Clone => "clone3",
            SpawnStep.CgroupPlacement or SpawnStep.SetGroupsFile or SpawnStep.UidMap or SpawnStep.GidMap => "write",
            SpawnStep.WaitParent => "read",
            SpawnStep.JoinNamespace => "setns",
            SpawnStep.UnshareCgroup => "unshare",
            SpawnStep.SetSid => "setsid",
            SpawnStep.Propagation or SpawnStep.BindRoot or SpawnStep.Mount or SpawnStep.RemountReadOnly
                or SpawnStep.MaskPath or SpawnStep.ReadOnlyPath or SpawnStep.ReadOnlyRoot => "mount",
            SpawnStep.CreateMountPoint => "mkdir",
            SpawnStep.MakeDevice => "mknod",
            SpawnStep.Symlink => "symlink",
            SpawnStep.PivotRoot => "pivot_root",
            SpawnStep.DetachOldRoot => "umount2",
            SpawnStep.Chroot => "chroot",
            SpawnStep.ChangeToRoot or SpawnStep.ChangeDirectory => "chdir",
            SpawnStep.SetHostName => "sethostname",
            SpawnStep.SetDomainName => "setdomainname",
            SpawnStep.SetResourceLimit => "setrlimit",
            SpawnStep.SetGroups => "setgroups",
            SpawnStep.SetGid => "setresgid",
            SpawnStep.SetUid => "setresuid",
            SpawnStep.DropBoundingSet => "prctl(PR_CAPBSET_DROP)",
            SpawnStep.SetCapabilities => "capset",
            SpawnStep.AmbientCapabilities => "prctl(PR_CAP_AMBIENT)",
            SpawnStep.NoNewPrivileges => "prctl(PR_SET_NO_NEW_PRIVS)",
            SpawnStep.ParentDeathSignal => "prctl(PR_SET_PDEATHSIG)",
            SpawnStep.DuplicateDescriptor => "dup2",
            SpawnStep.CloseDescriptors => "close_range",
            SpawnStep.Execute => "execve",
            SpawnStep.InitFork => "clone",
            SpawnStep.KeepCapabilities => "prctl(PR_SET_KEEPCAPS)",
            SpawnStep.Signals => "sigaction",
            SpawnStep.ReadErrorPipe => "read",
            SpawnStep.NotDumpable => "prctl(PR_SET_DUMPABLE)",
            SpawnStep.CloseInheritedDescriptors => "close_range",
            SpawnStep.SessionKeyring => "keyctl(KEYCTL_JOIN_SESSION_KEYRING)",
            SpawnStep.VerifyWorkingDirectory => "getcwd",
            SpawnStep.ResolveProgram => "openat2",
            SpawnStep.Seccomp => "seccomp(SECCOMP_SET_MODE_FILTER)",
            SpawnStep.SeccompListener => "sendmsg",
            SpawnStep.InitImage => "memfd_create",
            SpawnStep.ExecuteInit => "execveat",
            SpawnStep.NullDevice => "open",
            SpawnStep.JoinPidNamespace => "setns",
            SpawnStep.Terminal => "ioctl(/dev/ptmx)",
            SpawnStep.SendDescriptors => "sendmsg",
            SpawnStep.Umask => "umask",
            SpawnStep.OomScoreAdjustment => "write",
            SpawnStep.Sysctl => "write",
            SpawnStep.StartGate => "read",
            _ => step.ToString(),
        };
        if (step == SpawnStep.CgroupPlacement && info.CgroupPath is not null)
        {
            path = info.CgroupPath.TrimEnd('/') + "/cgroup.procs";
        }

        string? detail = (step, errno) switch
        {
            (SpawnStep.PivotRoot, EINVAL or EBUSY) => "new root must be a mount point, not on a shared mount",
            (SpawnStep.ResolveProgram or SpawnStep.ChangeDirectory, ELOOP) => "the path resolves through a magic link (such as /proc/self/fd/N, /proc/PID/root or /proc/PID/cwd) or through too many symlinks; it must lead to a file inside the root",
            (SpawnStep.ResolveProgram, ENOENT) => info.RootDirectory is null
                ? "the program does not exist (bare names are searched in the PATH of the environment given)"
                : "the program does not exist inside the new root (bare names are searched in the PATH of the environment given)",
            (SpawnStep.ResolveProgram, EACCES) => "not an executable regular file, or a directory on the way is not searchable",
            (SpawnStep.VerifyWorkingDirectory, EXDEV) => "the working directory is outside the process's root",
            (SpawnStep.NullDevice, ENODEV) => "/dev/null is not the null device (character 1:3), so it cannot be used to mask files",
            (SpawnStep.SetResourceLimit, EPERM) => "raising a hard limit above the current one needs CAP_SYS_RESOURCE (this process's bounding set may lack it: ask for at most the current hard limit)",
            (SpawnStep.SetResourceLimit, EINVAL) => "the soft limit is above the hard limit, or the value is above what the kernel allows (RLIMIT_NOFILE: fs.nr_open)",
            (SpawnStep.OomScoreAdjustment, EACCES or EPERM) => "lowering oom_score_adj below its current value needs CAP_SYS_RESOURCE",
            (SpawnStep.Terminal, ENOENT) => "there is no /dev/ptmx inside the root: a devpts mount (IsolatedMount.MinimalDev or Devpts) is needed for a terminal",
            (SpawnStep.Sysctl, ENOENT) => "no such sysctl here (is /proc mounted inside, and is it namespaced?)",
            (SpawnStep.Sysctl, EACCES or EROFS) => "the sysctl is not writable from inside (not namespaced, or /proc/sys is read-only)",
            (SpawnStep.JoinPidNamespace, EINVAL) => "the target is not a PID namespace below the caller's own",
            (SpawnStep.Seccomp, EACCES) => "installing a filter needs no_new_privs (NoNewPrivileges) or CAP_SYS_ADMIN",
            (SpawnStep.Seccomp, EINVAL) => "the kernel refused the filter program or one of its flags",
            (SpawnStep.Execute, ENOENT) => info.RootDirectory is null
                ? "the program or its interpreter does not exist"
                : "the program or its interpreter does not exist inside the new root",
            (SpawnStep.Execute, ETXTBSY) => "the program is open for writing, by this process or by a child forked while it was being written",
            (SpawnStep.Execute, EACCES) => "not executable, or a directory on the way is not searchable, or the file system is noexec",
            (SpawnStep.JoinNamespace, EPERM) => "joining needs CAP_SYS_ADMIN in the user namespace that owns the namespace; a new user namespace has none over the caller's namespaces",
            (SpawnStep.JoinNamespace, EINVAL) => "the file is not a namespace of the kind given",
            (SpawnStep.Clone, EINVAL) => "an invalid combination of namespaces, or a time namespace without clone3",
            (SpawnStep.Clone, EPERM) => "creating namespaces needs CAP_SYS_ADMIN (or a new user namespace)",
            (SpawnStep.Clone, EBADF or EOPNOTSUPP) when info.CgroupPath is not null || info.CgroupDirectory is not null => "the cgroup must be a cgroup v2 directory",
            (SpawnStep.Clone, EBUSY) => "the target cgroup has controllers enabled for its children (the no-internal-process rule)",
            (SpawnStep.CgroupPlacement, ENOSPC) => "a cpuset cgroup needs cpuset.cpus and cpuset.mems before it can take a process",
            (SpawnStep.CgroupPlacement, EBUSY) => "the target cgroup has controllers enabled for its children (the no-internal-process rule)",
            (SpawnStep.UidMap or SpawnStep.GidMap, EPERM) => "the caller may not map these ids (needs CAP_SETUID/CAP_SETGID in the parent user namespace, or a map of its own id only, with setgroups denied)",
            (SpawnStep.Mount, EPERM) => "mounting this file system type is not allowed here (a user namespace must own the matching namespace)",
            (SpawnStep.SetGroups, EPERM) when info.NewNamespaces.HasFlag(NamespaceFlags.User) => "setgroups is denied in this user namespace",
            _ => null,
        };
        string undone = step is SpawnStep.None or SpawnStep.Pipe or SpawnStep.Clone
            ? $"start isolated process: step {step} failed; undone: no child had been made"
            : $"start isolated process: step {step} failed; undone: the child was killed and reaped";
        return new IsolatedProcessException(step, errno, syscall, string.IsNullOrEmpty(path) ? null : path, detail is null ? undone : detail + "; " + undone);
    }
}

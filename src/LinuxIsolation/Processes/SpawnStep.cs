namespace LinuxIsolation.Processes;

/// <summary>The step at which starting an <see cref="IsolatedProcess"/> failed (mirrors <c>enum lxi_step</c> in Native/lxi_spawn.h).</summary>
public enum SpawnStep
{
    /// <summary>The request was refused before anything ran.</summary>
    None = 0,

    /// <summary>Making the error or sync pipe.</summary>
    Pipe = 1,

    /// <summary>clone3 (or clone).</summary>
    Clone = 2,

    /// <summary>Writing the child's pid to cgroup.procs (placement without CLONE_INTO_CGROUP).</summary>
    CgroupPlacement = 3,

    /// <summary>Writing "deny" to /proc/PID/setgroups.</summary>
    SetGroupsFile = 4,

    /// <summary>Writing /proc/PID/uid_map.</summary>
    UidMap = 5,

    /// <summary>Writing /proc/PID/gid_map.</summary>
    GidMap = 6,

    /// <summary>The child waiting for the parent.</summary>
    WaitParent = 7,

    /// <summary>setns into a namespace to join.</summary>
    JoinNamespace = 8,

    /// <summary>unshare(CLONE_NEWCGROUP).</summary>
    UnshareCgroup = 9,

    /// <summary>setsid.</summary>
    SetSid = 10,

    /// <summary>Making "/" rslave or rprivate.</summary>
    Propagation = 11,

    /// <summary>Binding the root directory onto itself.</summary>
    BindRoot = 12,

    /// <summary>Creating a mount point.</summary>
    CreateMountPoint = 13,

    /// <summary>A mount.</summary>
    Mount = 14,

    /// <summary>Making a bind mount read-only.</summary>
    RemountReadOnly = 15,

    /// <summary>Making a device node in /dev.</summary>
    MakeDevice = 16,

    /// <summary>Making a link in /dev.</summary>
    Symlink = 17,

    /// <summary>pivot_root.</summary>
    PivotRoot = 18,

    /// <summary>Detaching the old root after pivot_root.</summary>
    DetachOldRoot = 19,

    /// <summary>chroot.</summary>
    Chroot = 20,

    /// <summary>chdir into the new root.</summary>
    ChangeToRoot = 21,

    /// <summary>Making the root read-only.</summary>
    ReadOnlyRoot = 22,

    /// <summary>Masking a path.</summary>
    MaskPath = 23,

    /// <summary>Making a path read-only.</summary>
    ReadOnlyPath = 24,

    /// <summary>sethostname.</summary>
    SetHostName = 25,

    /// <summary>setdomainname.</summary>
    SetDomainName = 26,

    /// <summary>setrlimit.</summary>
    SetResourceLimit = 27,

    /// <summary>chdir to the working directory.</summary>
    ChangeDirectory = 28,

    /// <summary>setgroups.</summary>
    SetGroups = 29,

    /// <summary>setresgid.</summary>
    SetGid = 30,

    /// <summary>setresuid.</summary>
    SetUid = 31,

    /// <summary>Dropping from the capability bounding set.</summary>
    DropBoundingSet = 32,

    /// <summary>capset.</summary>
    SetCapabilities = 33,

    /// <summary>Setting the ambient capabilities.</summary>
    AmbientCapabilities = 34,

    /// <summary>PR_SET_NO_NEW_PRIVS.</summary>
    NoNewPrivileges = 35,

    /// <summary>PR_SET_PDEATHSIG, or the parent died before it was set.</summary>
    ParentDeathSignal = 36,

    /// <summary>Moving a descriptor to its number.</summary>
    DuplicateDescriptor = 37,

    /// <summary>Marking the other descriptors close-on-exec.</summary>
    CloseDescriptors = 38,

    /// <summary>execve.</summary>
    Execute = 39,

    /// <summary>The init forking the payload.</summary>
    InitFork = 40,

    /// <summary>PR_SET_KEEPCAPS.</summary>
    KeepCapabilities = 41,

    /// <summary>Resetting signal handling.</summary>
    Signals = 42,

    /// <summary>The parent reading the error pipe.</summary>
    ReadErrorPipe = 43,

    /// <summary>PR_SET_DUMPABLE 0: until execve the child is a copy of the caller, and nobody may ptrace it or read its memory.</summary>
    NotDumpable = 44,

    /// <summary>Closing every descriptor the payload is not given, before the child touches any path.</summary>
    CloseInheritedDescriptors = 45,

    /// <summary>Joining a new session keyring (keyctl KEYCTL_JOIN_SESSION_KEYRING).</summary>
    SessionKeyring = 46,

    /// <summary>Checking with getcwd that the working directory is inside the root.</summary>
    VerifyWorkingDirectory = 47,

    /// <summary>Finding the program inside the root (openat2 with RESOLVE_IN_ROOT and RESOLVE_NO_MAGICLINKS; a PATH search for a bare name).</summary>
    ResolveProgram = 48,

    /// <summary>Installing the seccomp filter (seccomp SECCOMP_SET_MODE_FILTER).</summary>
    Seccomp = 49,

    /// <summary>Handing the seccomp listener to the caller.</summary>
    SeccompListener = 50,

    /// <summary>The parent making the init's sealed memfd.</summary>
    InitImage = 51,

    /// <summary>Running the init (execveat of its memfd).</summary>
    ExecuteInit = 52,

    /// <summary>Checking that /dev/null, which covers masked files, is the null device.</summary>
    NullDevice = 53,

    /// <summary>The parent joining the PID namespace to start the process in (setns of the spawning thread).</summary>
    JoinPidNamespace = 54,

    /// <summary>Making the pseudo-terminal (/dev/ptmx inside the root, unlock, the peer, the controlling terminal).</summary>
    Terminal = 55,

    /// <summary>Handing the terminal's master to the caller.</summary>
    SendDescriptors = 56,

    /// <summary>umask.</summary>
    Umask = 57,

    /// <summary>Writing /proc/self/oom_score_adj.</summary>
    OomScoreAdjustment = 58,

    /// <summary>Writing a sysctl inside the new namespaces.</summary>
    Sysctl = 59,

    /// <summary>Waiting at the start gate.</summary>
    StartGate = 60,
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using LinuxIsolation.Seccomp;

namespace LinuxIsolation.Processes;

/// <summary>
/// What to start as an <see cref="IsolatedProcess"/>: the program, its namespaces (new ones and existing ones
/// to join), user namespace id maps, host name, root file system (pivot_root or chroot), mounts, masked and
/// read-only paths, working directory, ids, capabilities, no_new_privs, resource limits, parent-death signal,
/// cgroup, standard streams, extra descriptors and an optional init. Together these are what
/// <c>unshare</c>, <c>chroot</c>, <c>nsenter</c>, <c>setpriv</c>, <c>prlimit</c> and runc's config.json
/// express. Everything is checked by <see cref="Validate"/> before any system call.
/// </summary>
/// <remarks>Defaults: no new namespaces, the caller's root, environment, ids and capabilities, stdio inherited.</remarks>
public sealed partial class IsolatedProcessStartInfo
{
    /// <summary>runc's default masked paths: each is covered by /dev/null (files) or an empty read-only tmpfs (directories).</summary>
    public static IReadOnlyList<string> DefaultMaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    /// <summary>runc's default read-only paths.</summary>
    public static IReadOnlyList<string> DefaultReadOnlyPaths { get; } =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    /// <summary>Creates a start info for <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    /// <param name="fileName">The program: an absolute path (inside the new root when there is one), or a name searched in the PATH of <see cref="Environment"/>.</param>
    /// <param name="arguments">argv[1..].</param>
    public IsolatedProcessStartInfo(string fileName, params string[] arguments)
    {
        FileName = fileName;
        Arguments = [.. arguments];
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            Environment[(string)e.Key] = (string?)e.Value ?? string.Empty;
        }
    }

    /// <summary>The program: an absolute path (as seen inside the new root), or a bare name searched in PATH.</summary>
    public string FileName { get; set; }

    /// <summary>argv[0]; the <see cref="FileName"/> when null.</summary>
    public string? ArgumentZero { get; set; }

    /// <summary>argv[1..].</summary>
    public IList<string> Arguments { get; }

    /// <summary>The environment; starts as a copy of the caller's. Clear it for a container.</summary>
    public IDictionary<string, string> Environment { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The namespaces to create (<c>unshare</c>'s options). Mounts, a pivot_root, masked paths need <see cref="NamespaceFlags.Mount"/> (or a mount namespace joined through <see cref="JoinNamespaces"/>; mounts alone also <see cref="AllowMountsInCallerNamespace"/>); a host name <see cref="NamespaceFlags.Uts"/>; id maps <see cref="NamespaceFlags.User"/>.</summary>
    public NamespaceFlags NewNamespaces { get; set; }

    /// <summary>Existing namespaces to join (<c>nsenter</c>), before anything else happens in the child.</summary>
    public IList<NamespaceJoin> JoinNamespaces { get; } = [];

    /// <summary>The uid map of a new user namespace; empty means "0 = the caller's euid, one id".</summary>
    public IList<IdMapping> UserIdMappings { get; } = [];

    /// <summary>The gid map of a new user namespace; empty means "0 = the caller's egid, one id".</summary>
    public IList<IdMapping> GroupIdMappings { get; } = [];

    /// <summary>Write "deny" to /proc/PID/setgroups before the gid map (Linux 3.19). Null: only when the caller is not root (the kernel then requires it).</summary>
    public bool? DenySetGroups { get; set; }

    /// <summary>The host name in a new UTS namespace (<c>hostname NAME</c>), or null.</summary>
    public string? HostName { get; set; }

    /// <summary>The NIS domain name in a new UTS namespace, or null.</summary>
    public string? DomainName { get; set; }

    /// <summary>
    /// The new root directory (absolute host path), or null for the caller's root. The host's own root is refused
    /// (compared by device and inode, so "/.", "//", a symlink to "/" and a bind mount of "/" are caught too): as a
    /// chroot it would give the payload the whole host file system, and pivot_root would refuse it only after
    /// the child was made.
    /// </summary>
    public string? RootDirectory { get; set; }

    /// <summary>How the root changes: pivot_root (default, needs a new or joined mount namespace) or chroot.</summary>
    public RootChange RootChange { get; set; }

    /// <summary>Bind the root directory onto itself first so it is a mount point (pivot_root needs one). Default true.</summary>
    public bool BindMountRoot { get; set; } = true;

    /// <summary>
    /// Let <see cref="Mounts"/> be made in the caller's own mount namespace when the process gets none of its own
    /// (neither in <see cref="NewNamespaces"/> nor in <see cref="JoinNamespaces"/>), under a <see cref="RootDirectory"/>
    /// changed with <see cref="RootChange.Chroot"/>. The mounts are then the caller's: they stay after the process
    /// ends, and propagate as that namespace's mounts do. An OCI config without a mount namespace asks for this
    /// (runc and the OCI validation suite's linux_ns_itype do it). Default false: forgetting
    /// <see cref="NamespaceFlags.Mount"/> is an error rather than mounts on the host. Masked and read-only paths,
    /// pivot_root and a read-only root still need a mount namespace of the process's own.
    /// </summary>
    public bool AllowMountsInCallerNamespace { get; set; }

    /// <summary>
    /// Make the root bind mount, and every mount below it, nodev: device nodes in the root file system cannot be
    /// opened (a container image that carries a copy of the host's disk's node, or a payload with CAP_MKNOD, gets
    /// nothing from it). Default true; the /dev that <see cref="IsolatedMount.MinimalDev"/> mounts is a separate
    /// mount and keeps its nodes. Needs <see cref="BindMountRoot"/> (without the bind there is no mount of the
    /// root's own to mark). Recursive with mount_setattr (Linux 5.12), else the top mount only.
    /// </summary>
    public bool RootNoDev { get; set; } = true;

    /// <summary>Make the root read-only (after the mounts). Needs <see cref="BindMountRoot"/>.</summary>
    public bool ReadOnlyRoot { get; set; }

    /// <summary>The propagation "/" gets in the new mount namespace before any mount: rslave (default) or rprivate.</summary>
    public MountPropagation RootPropagation { get; set; }

    /// <summary>Mounts made in order, before the root changes; targets are paths as the process sees them.</summary>
    public IList<IsolatedMount> Mounts { get; } = [];

    /// <summary>Paths covered after the root changes (see <see cref="DefaultMaskedPaths"/>); missing ones are skipped.</summary>
    public IList<string> MaskedPaths { get; } = [];

    /// <summary>Paths made read-only after the root changes (see <see cref="DefaultReadOnlyPaths"/>); missing ones are skipped.</summary>
    public IList<string> ReadOnlyPaths { get; } = [];

    /// <summary>The working directory (absolute, inside the new root), or null: "/" with a new root, else the caller's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// The uid to run as (setresuid). Null keeps the caller's, except in a new user namespace, where it is 0.
    /// 4294967295 is refused: it is <c>(uid_t)-1</c>, which setresuid reads as "leave unchanged", so the process
    /// would keep the caller's uid (root) instead of running as an id nobody has.
    /// </summary>
    public uint? UserId { get; set; }

    /// <summary>
    /// The gid to run as (setresgid). Null keeps the caller's, except in a new user namespace, where it is 0.
    /// 4294967295 (<c>(gid_t)-1</c>, "leave unchanged" to setresgid) is refused.
    /// </summary>
    public uint? GroupId { get; set; }

    /// <summary>Supplementary groups (setgroups), applied when a uid or gid is set; empty clears them. 4294967295 is refused.</summary>
    public IList<uint> SupplementaryGroups { get; } = [];

    /// <summary>
    /// The capabilities to keep; every other one is dropped from the bounding, effective, permitted, inheritable
    /// and ambient sets (kept ones are also raised in the ambient set, so a non-root uid keeps them across
    /// execve). Null leaves capabilities alone (<c>setpriv --bounding-set</c>, <c>capsh --drop</c>).
    /// </summary>
    public IList<Capability>? KeepCapabilities { get; set; }

    /// <summary>
    /// The effective set, when it should differ from <see cref="KeepCapabilities"/> (which is then the bounding
    /// set and the default of every other set); null: the same as <see cref="KeepCapabilities"/>. OCI
    /// <c>process.capabilities.effective</c>. Needs <see cref="KeepCapabilities"/>.
    /// </summary>
    public IList<Capability>? EffectiveCapabilities { get; set; }

    /// <summary>The permitted set (OCI <c>permitted</c>); null: <see cref="KeepCapabilities"/>. Must hold the effective set.</summary>
    public IList<Capability>? PermittedCapabilities { get; set; }

    /// <summary>The inheritable set (OCI <c>inheritable</c>); null: <see cref="KeepCapabilities"/>.</summary>
    public IList<Capability>? InheritableCapabilities { get; set; }

    /// <summary>The ambient set (OCI <c>ambient</c>; Linux 4.3); null: <see cref="KeepCapabilities"/>. Each must be permitted and inheritable.</summary>
    public IList<Capability>? AmbientCapabilities { get; set; }

    /// <summary>The umask the program starts with (<c>umask 022</c>, OCI <c>process.user.umask</c>), 0 to 0777; null keeps the caller's.</summary>
    public uint? Umask { get; set; }

    /// <summary>
    /// /proc/self/oom_score_adj of the process, -1000 (never killed) to 1000 (killed first), OCI
    /// <c>process.oomScoreAdj</c>; null keeps the caller's. Lowering it needs CAP_SYS_RESOURCE.
    /// </summary>
    public int? OomScoreAdjustment { get; set; }

    /// <summary>
    /// Sysctls written inside the process's new namespaces before it runs (OCI <c>linux.sysctl</c>; <c>sysctl -w
    /// net.ipv4.ip_forward=1</c> inside the container): keys like "net.ipv4.ip_forward", written to /proc/sys
    /// through the process's own /proc. Only namespaced keys are accepted, each with its namespace new or joined
    /// (as runc checks): <c>net.*</c> (network), <c>fs.mqueue.*</c> and the System V IPC limits <c>kernel.msgmax</c>,
    /// <c>msgmnb</c>, <c>msgmni</c>, <c>sem</c>, <c>shmall</c>, <c>shmmax</c>, <c>shmmni</c>, <c>shm_rmid_forced</c> (IPC),
    /// <c>kernel.hostname</c> and <c>kernel.domainname</c> (UTS); any other key would change the host and is refused.
    /// Needs a /proc mount (<see cref="IsolatedMount.Proc"/>) when there is a new root.
    /// </summary>
    public IDictionary<string, string> Sysctls { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Give the process a new pseudo-terminal as its standard input, output and error and controlling terminal
    /// (OCI <c>process.terminal</c>, <c>docker run -t</c>). It is made from the devpts the process sees (its
    /// /dev/ptmx, after the root changed: a <see cref="IsolatedMount.MinimalDev"/> provides one) and its master
    /// is <see cref="IsolatedProcess.TerminalMaster"/>. The standard stream settings are then ignored.
    /// </summary>
    public bool Terminal { get; set; }

    /// <summary>The terminal's size (rows, columns), OCI <c>process.consoleSize</c>; (0, 0) leaves the kernel's default.</summary>
    public (ushort Rows, ushort Columns) TerminalSize { get; set; }

    /// <summary>
    /// A FIFO (mkfifo) the process waits at once everything but the program is in place: <see cref="IsolatedProcess.Start"/>
    /// returns when the process is ready (<see cref="IsolatedProcess.IsWaitingAtStartGate"/>), and the program
    /// runs only once someone writes a byte to the FIFO (<see cref="IsolatedProcess.ReleaseStartGate"/>, from
    /// any process). This is the split between <c>runc create</c> and <c>runc start</c>. A failure after the
    /// gate cannot be reported to the caller (it may be gone): the process exits with 127.
    /// </summary>
    public string? StartGatePath { get; set; }

    /// <summary>Set no_new_privs (<c>setpriv --no-new-privs</c>, Linux 3.5).</summary>
    public bool NoNewPrivileges { get; set; }

    /// <summary>Resource limits (<c>prlimit</c>).</summary>
    public IList<ResourceLimit> ResourceLimits { get; } = [];

    /// <summary>
    /// The signal the process gets when the caller's process dies (PR_SET_PDEATHSIG), or 0. The kernel ties it to
    /// the thread that cloned the child, so such processes are started from a long-lived internal thread.
    /// </summary>
    public int ParentDeathSignal { get; set; }

    /// <summary>
    /// A cgroup directory (absolute path) to start the process in, or null: cgroup v2 through clone3's
    /// CLONE_INTO_CGROUP (Linux 5.7); a cgroup v1 directory (or an older kernel) by writing cgroup.procs while
    /// the child waits, before it runs anything.
    /// </summary>
    public string? CgroupPath { get; set; }

    /// <summary>An open cgroup directory to start the process in (see <see cref="CgroupPath"/>), or null. The caller keeps owning it.</summary>
    public SafeHandle? CgroupDirectory { get; set; }

    /// <summary>
    /// The device allow-list of the process's cgroup, or null for no device control (the default). Attached to
    /// the cgroup (<see cref="CgroupPath"/> or <see cref="CgroupDirectory"/>, required) before the process is
    /// made, as an eBPF device program (see <see cref="Cgroups.Cgroup.SetDeviceRules"/>). Once the process runs, the
    /// device programs that were attached to that cgroup before are detached (the cgroup's rules are those of the
    /// last process started into it); if the start fails, the new program is detached and the old ones stay.
    /// <see cref="Cgroups.Devices.DeviceRules.ContainerDefaults"/> is what a container needs: with it a payload with
    /// CAP_MKNOD still cannot make or open the host's disks. Needs CAP_SYS_ADMIN and Linux 4.15.
    /// </summary>
    public IList<Cgroups.Devices.DeviceRule>? DeviceRules { get; set; }

    /// <summary>Standard input.</summary>
    public ProcessStdio StandardInput { get; set; } = ProcessStdio.Inherit;

    /// <summary>Standard output.</summary>
    public ProcessStdio StandardOutput { get; set; } = ProcessStdio.Inherit;

    /// <summary>Standard error.</summary>
    public ProcessStdio StandardError { get; set; } = ProcessStdio.Inherit;

    /// <summary>
    /// Descriptors passed to the process besides stdio. Every other descriptor of the caller is closed in the child
    /// before it touches any path (so neither a working directory, a mount nor the program can reach the host
    /// through <c>/proc/self/fd</c>).
    /// </summary>
    public IList<InheritedFileDescriptor> InheritedFileDescriptors { get; } = [];

    /// <summary>
    /// Give the process a new session keyring of its own (keyctl KEYCTL_JOIN_SESSION_KEYRING, as runc does), so
    /// it cannot read or change the keys of the caller's session keyring. Default true. The per-user keyring
    /// (<c>@u</c>) is still the uid's: a new user namespace, or seccomp refusing keyctl (the default profile does),
    /// keeps a container away from it.
    /// </summary>
    public bool NewSessionKeyring { get; set; } = true;

    /// <summary>Run a small init as the process (PID 1 in a new PID namespace) that forks the program, reaps orphans, forwards SIGTERM, SIGINT and SIGHUP and exits with the program's exit code (128 + signal when a signal ended it).
    /// The init is a small static program of the native library's own, run from a sealed memfd: PID 1 is not a
    /// copy of the caller (no host memory or environment; it gets the program's environment), cannot be
    /// written through <c>/proc/1/exe</c>, and is not dumpable, so the program cannot ptrace it.</summary>
    public bool UseInit { get; set; }

    /// <summary>
    /// The seccomp filter the process runs under, or null (none). Compiled when the process starts (once per filter
    /// while it does not change) and installed by the child as the last step before execve, after no_new_privs
    /// (<see cref="NoNewPrivileges"/>); without no_new_privs it is installed while the child still has the
    /// caller's capabilities (the kernel then wants CAP_SYS_ADMIN), so the steps after it (capabilities, ids,
    /// descriptors, limits) run under it too, as in runc. With a <see cref="SeccompActionKind.UserNotify"/>
    /// rule, <see cref="IsolatedProcess.TryTakeSeccompNotifier"/> gives the supervisor's end.
    /// <see cref="SeccompProfiles.DockerDefault"/> is Docker's default profile; <see cref="AddUntrustedDefaults"/> sets it.
    /// Equivalent to OCI <c>linux.seccomp</c> and <c>docker run --security-opt seccomp=PROFILE.json</c>. Linux 3.5
    /// (a listener: 5.0).
    /// </summary>
    public SeccompFilter? Seccomp { get; set; }

    /// <summary>The compiled seccomp filter (struct sock_filter array), or null; a test hook under <see cref="Seccomp"/>, which wins.</summary>
    internal byte[]? SeccompInstructions { get; set; }

    /// <summary>The seccomp(2) flags of <see cref="SeccompInstructions"/> (SECCOMP_FILTER_FLAG_*).</summary>
    internal uint SeccompFlags { get; set; }

    /// <summary>Test hook: start with clone and a sync pipe (writing cgroup.procs) instead of clone3.</summary>
    internal bool ForceCloneFallback { get; set; }

    /// <summary>Test hook: the step at which the native spawn fails with ECANCELED, just before that step's system call.</summary>
    internal SpawnStep FailAtStep { get; set; }

    /// <summary>
    /// Adds what a container normally has: /proc, a minimal /dev (with pts, shm and, with a new IPC namespace,
    /// mqueue) and read-only /sys mounts, and runc's default masked and read-only paths.
    /// </summary>
    public IsolatedProcessStartInfo AddContainerDefaults()
    {
        Mounts.Add(IsolatedMount.Proc());
        Mounts.Add(IsolatedMount.MinimalDev());
        Mounts.Add(IsolatedMount.Sysfs());
        foreach (string p in DefaultMaskedPaths)
        {
            MaskedPaths.Add(p);
        }

        foreach (string p in DefaultReadOnlyPaths)
        {
            ReadOnlyPaths.Add(p);
        }

        return this;
    }

    /// <summary>
    /// Sets up what running untrusted code needs, as runc does for a container by default: new PID, mount, UTS,
    /// IPC and cgroup namespaces (and network, unless one is joined); the container mounts, masked and read-only
    /// paths of <see cref="AddContainerDefaults"/>; Docker's and runc's default capabilities
    /// (<see cref="Capabilities.ContainerDefaults"/>); the device allow-list
    /// <see cref="Cgroups.Devices.DeviceRules.ContainerDefaults"/> (so the process needs a cgroup:
    /// <see cref="CgroupPath"/> or <see cref="CgroupDirectory"/>); nodev on the root and every mount that is not
    /// /dev; no_new_privs; a new session keyring; Docker's default seccomp profile
    /// (<see cref="SeccompProfiles.DockerDefault"/>) unless <see cref="Seccomp"/> is already set. What each part stops, and what it does not, is in the README
    /// ("Running untrusted code"). A user namespace (<see cref="NamespaceFlags.User"/> with id maps) is stronger
    /// still: root inside is then nobody outside.
    /// </summary>
    public IsolatedProcessStartInfo AddUntrustedDefaults()
    {
        NamespaceFlags wanted = NamespaceFlags.Pid | NamespaceFlags.Mount | NamespaceFlags.Uts | NamespaceFlags.Ipc | NamespaceFlags.Cgroup;
        if (!JoinNamespaces.Any(j => j.Kind == NamespaceFlags.Network))
        {
            wanted |= NamespaceFlags.Network;
        }

        NewNamespaces |= wanted & ~JoinNamespaces.Aggregate(NamespaceFlags.None, (all, j) => all | j.Kind);
        AddContainerDefaults();
        KeepCapabilities = [.. Capabilities.ContainerDefaults];
        DeviceRules = [.. Cgroups.Devices.DeviceRules.ContainerDefaults];
        RootNoDev = true;
        NoNewPrivileges = true;
        NewSessionKeyring = true;
        Seccomp ??= SeccompProfiles.DockerDefault;
        return this;
    }
}

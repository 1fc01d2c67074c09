using System;
using System.Collections.Generic;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>The names the runtime-spec 1.2 defines (config.md, config-linux.md, defs-linux.json), shared by validation, mapping and features.</summary>
internal static class OciNames
{
    /// <summary>The spec version lxi implements (ociVersionMax of features).</summary>
    public const string SpecVersion = "1.2.1";

    /// <summary>The oldest config.json version lxi accepts (ociVersionMin of features).</summary>
    public const string MinimumSpecVersion = "1.0.0";

    public static readonly IReadOnlyDictionary<string, NamespaceFlags> Namespaces = new Dictionary<string, NamespaceFlags>(StringComparer.Ordinal)
    {
        ["pid"] = NamespaceFlags.Pid,
        ["network"] = NamespaceFlags.Network,
        ["mount"] = NamespaceFlags.Mount,
        ["ipc"] = NamespaceFlags.Ipc,
        ["uts"] = NamespaceFlags.Uts,
        ["user"] = NamespaceFlags.User,
        ["cgroup"] = NamespaceFlags.Cgroup,
        ["time"] = NamespaceFlags.Time,
    };

    public static readonly IReadOnlyDictionary<string, ResourceLimitKind> Rlimits = new Dictionary<string, ResourceLimitKind>(StringComparer.Ordinal)
    {
        ["RLIMIT_CPU"] = ResourceLimitKind.Cpu,
        ["RLIMIT_FSIZE"] = ResourceLimitKind.FileSize,
        ["RLIMIT_DATA"] = ResourceLimitKind.Data,
        ["RLIMIT_STACK"] = ResourceLimitKind.Stack,
        ["RLIMIT_CORE"] = ResourceLimitKind.Core,
        ["RLIMIT_RSS"] = ResourceLimitKind.Rss,
        ["RLIMIT_NPROC"] = ResourceLimitKind.Processes,
        ["RLIMIT_NOFILE"] = ResourceLimitKind.OpenFiles,
        ["RLIMIT_MEMLOCK"] = ResourceLimitKind.LockedMemory,
        ["RLIMIT_AS"] = ResourceLimitKind.AddressSpace,
        ["RLIMIT_LOCKS"] = ResourceLimitKind.Locks,
        ["RLIMIT_SIGPENDING"] = ResourceLimitKind.PendingSignals,
        ["RLIMIT_MSGQUEUE"] = ResourceLimitKind.MessageQueueBytes,
        ["RLIMIT_NICE"] = ResourceLimitKind.Nice,
        ["RLIMIT_RTPRIO"] = ResourceLimitKind.RealTimePriority,
        ["RLIMIT_RTTIME"] = ResourceLimitKind.RealTimeTimeout,
    };

    public static readonly string[] Hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];

    public static readonly string[] SchedulerPolicies = ["SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"];

    public static readonly string[] SchedulerFlags =
    [
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    ];

    public static readonly string[] IoPriorityClasses = ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"];

    public static readonly string[] SeccompActions =
    [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
        "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ];

    public static readonly string[] SeccompOperators =
    [
        "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
    ];

    public static readonly string[] SeccompArchitectures =
    [
        "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
        "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
        "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
        "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    ];

    public static readonly string[] SeccompFlags =
    [
        "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
        "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    ];

    public static readonly string[] RootfsPropagations = ["private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable"];

    /// <summary>Every mount option of config.md's table (the MUST and SHOULD ones) plus runc's tmpcopyup: what lxi recognizes (features' mountOptions).</summary>
    public static readonly string[] MountOptions =
    [
        "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "idmap", "iversion", "lazytime",
        "loud", "mand", "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime", "nomand",
        "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime",
        "relatime", "remount", "rexec", "ridmap", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime",
        "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared",
        "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared", "silent", "slave",
        "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
    ];

    /// <summary>The IPC-namespaced sysctls that runc allows (besides fs.mqueue.*).</summary>
    public static readonly string[] IpcSysctls =
    [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ];

    public static bool Contains(string[] names, string? name) => name is not null && Array.IndexOf(names, name) >= 0;
}

using System.Runtime.InteropServices;

#pragma warning disable SA1307, SA1310, IDE1006 // Mirror structs keep the C spelling.

namespace LinuxIsolation.Processes.Native;

/// <summary>
/// <code>
/// struct lxi_mount {
///     const char *source; const char *target; const char *data;
///     uint64_t flags; uint32_t kind; uint32_t reserved;
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct lxi_mount
{
    public byte* source;
    public byte* target;
    public byte* data;
    public ulong flags;
    public uint kind;
    public uint reserved;
}

/// <summary><c>struct lxi_rlimit { uint32_t resource; uint32_t reserved; uint64_t soft; uint64_t hard; };</c></summary>
[StructLayout(LayoutKind.Sequential)]
internal struct lxi_rlimit
{
    public uint resource;
    public uint reserved;
    public ulong soft;
    public ulong hard;
}

/// <summary><c>struct lxi_namespace_join { int32_t fd; int32_t nstype; const char *name; };</c></summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct lxi_namespace_join
{
    public int fd;
    public int nstype;
    public byte* name;
}

/// <summary><c>struct lxi_fd_map { int32_t source; int32_t target; };</c></summary>
[StructLayout(LayoutKind.Sequential)]
internal struct lxi_fd_map
{
    public int source;
    public int target;
}

/// <summary>
/// <c>struct lxi_spawn_spec</c> of Native/lxi_spawn.h, field for field (the header documents each field).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct lxi_spawn_spec
{
    public const uint Version = 3;

    public uint size;
    public uint version;
    public byte* path;
    public byte** argv;
    public byte** envp;
    public ulong clone_flags;
    public byte* uid_map;
    public byte* gid_map;
    public int deny_setgroups;
    public int cgroup_fd;
    public byte* hostname;
    public byte* domainname;
    public byte* root;
    public uint root_mode;
    public int root_readonly;
    public int bind_root;
    public uint propagation;
    public lxi_mount* mounts;
    public uint mount_count;
    public uint masked_count;
    public byte** masked_paths;
    public byte** readonly_paths;
    public uint readonly_count;
    public uint join_count;
    public lxi_namespace_join* joins;
    public byte* cwd;
    public int set_ids;
    public uint uid;
    public uint gid;
    public uint group_count;
    public uint* groups;
    public int set_caps;
    public int no_new_privs;
    public ulong cap_keep;
    public lxi_rlimit* rlimits;
    public uint rlimit_count;
    public int pdeath_signal;
    public lxi_fd_map* fds;
    public uint fd_count;
    public int use_init;
    public int force_clone_fallback;
    public int fail_step;
    public ulong root_flags;
    public int new_keyring;
    public uint seccomp_flags;
    public void* seccomp_filter;
    public uint seccomp_length;
    public uint reserved2;
    public int cap_sets;
    public int reserved3;
    public ulong cap_effective;
    public ulong cap_permitted;
    public ulong cap_inheritable;
    public ulong cap_ambient;
    public int pid_ns_fd;
    public int gate_fd;
    public int terminal;
    public ushort terminal_rows;
    public ushort terminal_columns;
    public int umask;
    public int set_oom_score_adj;
    public int oom_score_adj;
    public uint sysctl_count;
    public byte** sysctl_keys;
    public byte** sysctl_values;
}

/// <summary>
/// <code>
/// struct lxi_spawn_result {
///     uint32_t size; int32_t pid; int32_t pidfd; int32_t step; int32_t error; int32_t used_clone3;
///     int32_t seccomp_listener; int32_t terminal_master; int32_t waiting_at_gate; char path[LXI_PATH_MAX];
/// };
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct lxi_spawn_result
{
    public const int PathMax = 1024;

    public uint size;
    public int pid;
    public int pidfd;
    public int step;
    public int error;
    public int used_clone3;
    public int seccomp_listener;
    public int terminal_master;
    public int waiting_at_gate;
    public fixed byte path[PathMax];
}

/// <summary>Constants of the native contract and of mount(2).</summary>
internal static class SpawnConstants
{
    public const uint LXI_ROOT_NONE = 0;
    public const uint LXI_ROOT_PIVOT = 1;
    public const uint LXI_ROOT_CHROOT = 2;

    public const ulong MS_RDONLY = 1;
    public const ulong MS_NOSUID = 2;
    public const ulong MS_NODEV = 4;
    public const ulong MS_NOEXEC = 8;
    public const ulong MS_REC = 16384;
    public const ulong MS_NOATIME = 1024;
    public const ulong MS_RELATIME = 1 << 21;
    public const ulong MS_STRICTATIME = 1 << 24;
    public const uint MS_PRIVATE = 1 << 18;
    public const uint MS_SLAVE = 1 << 19;
    public const uint MS_SHARED = 1 << 20;
    public const uint MS_UNBINDABLE = 1 << 17;
}

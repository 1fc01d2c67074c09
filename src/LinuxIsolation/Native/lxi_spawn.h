/*
 * libLinuxIsolation.Native: the fork-to-exec path of LinuxIsolation's IsolatedProcess.
 *
 * This header is the contract between the C library and its managed caller
 * (src/LinuxIsolation/Processes/Native/SpawnSpec.cs mirrors every struct below field for field).
 *
 * Why C: between clone and execve the child of a multithreaded .NET process must not run managed code
 * (a GC suspension or a lock held by another thread at clone time would deadlock it), it must be single
 * threaded to join a user or mount namespace, and it has to mount /proc from inside its new PID namespace.
 * So the child runs only this file's code, using raw system calls and async-signal-safe libc functions:
 * no malloc, no stdio, no locks.
 *
 * Protocol (the same as System.Native's fork/exec in dotnet/runtime):
 *   - the parent blocks every signal on the calling thread before clone, so no .NET signal handler runs in
 *     the child; the child resets every handler to SIG_DFL and restores an empty mask just before execve;
 *   - an error pipe, close-on-exec, carries {step, errno, path} from the child; the parent reads it:
 *     end-of-file means execve succeeded; a record means the child failed at that step and _exit(127)ed,
 *     and the parent reaps it, so no child is left behind;
 *   - a sync pipe holds the child while the parent writes setgroups/uid_map/gid_map and, when clone3's
 *     CLONE_INTO_CGROUP is not available, the child's pid into cgroup.procs;
 *   - the child then works in runc/crun order: not dumpable (it carries the caller's memory), setns, close
 *     every descriptor the payload is not given (before any path is touched), a new session keyring, setsid,
 *     propagation, mounts, pivot_root or chroot, masked and read-only paths, read-only root, hostname, cwd
 *     (resolved inside the root, magic links refused, checked with getcwd), bounding set, groups/gid/uid,
 *     capabilities, no_new_privs, parent-death signal, fd set-up, rlimits (late, so a low RLIMIT_NOFILE
 *     cannot break the fd set-up), the program resolved inside the root (lxi_exec.h), the seccomp filter
 *     (last; before the capabilities are dropped when there is no no_new_privs, as the kernel then needs
 *     CAP_SYS_ADMIN), then execveat of the program, or of the init from a sealed memfd.
 *   - the child is created with exit_signal 0 (no SIGCHLD), so the .NET runtime's SIGCHLD handling never
 *     reaps it; the caller waits with waitid(P_PIDFD, ..., __WALL).
 *
 * Every function returns 0 on success, or -1 with the failure described in the result struct.
 */
#ifndef LXI_SPAWN_H
#define LXI_SPAWN_H

#include <stdint.h>

#define LXI_SPEC_VERSION 3
#define LXI_PATH_MAX 1024

/* Steps at which a spawn can fail; the managed SpawnStep enum mirrors these numbers. */
enum lxi_step {
    LXI_STEP_NONE = 0,
    LXI_STEP_PIPE = 1,            /* pipe2 in the parent */
    LXI_STEP_CLONE = 2,           /* clone3 / clone */
    LXI_STEP_CGROUP = 3,          /* write cgroup.procs (fallback placement), parent side */
    LXI_STEP_SETGROUPS_FILE = 4,  /* write /proc/PID/setgroups, parent side */
    LXI_STEP_UID_MAP = 5,         /* write /proc/PID/uid_map, parent side */
    LXI_STEP_GID_MAP = 6,         /* write /proc/PID/gid_map, parent side */
    LXI_STEP_WAIT_PARENT = 7,     /* child: read the sync pipe */
    LXI_STEP_SETNS = 8,
    LXI_STEP_UNSHARE_CGROUP = 9,
    LXI_STEP_SETSID = 10,
    LXI_STEP_PROPAGATION = 11,    /* mount("/", MS_REC|MS_SLAVE or MS_PRIVATE) */
    LXI_STEP_BIND_ROOT = 12,      /* bind the root directory onto itself */
    LXI_STEP_MKDIR = 13,          /* create a mount point */
    LXI_STEP_MOUNT = 14,
    LXI_STEP_REMOUNT_RO = 15,
    LXI_STEP_MKNOD = 16,
    LXI_STEP_SYMLINK = 17,
    LXI_STEP_PIVOT_ROOT = 18,
    LXI_STEP_UMOUNT_OLD_ROOT = 19,
    LXI_STEP_CHROOT = 20,
    LXI_STEP_CHDIR_ROOT = 21,
    LXI_STEP_READONLY_ROOT = 22,
    LXI_STEP_MASK_PATH = 23,
    LXI_STEP_READONLY_PATH = 24,
    LXI_STEP_SETHOSTNAME = 25,
    LXI_STEP_SETDOMAINNAME = 26,
    LXI_STEP_SETRLIMIT = 27,
    LXI_STEP_CHDIR = 28,
    LXI_STEP_SETGROUPS = 29,
    LXI_STEP_SETGID = 30,
    LXI_STEP_SETUID = 31,
    LXI_STEP_CAPBSET_DROP = 32,
    LXI_STEP_CAPSET = 33,
    LXI_STEP_AMBIENT = 34,
    LXI_STEP_NO_NEW_PRIVS = 35,
    LXI_STEP_PDEATHSIG = 36,
    LXI_STEP_DUP_FD = 37,
    LXI_STEP_CLOSE_FDS = 38,
    LXI_STEP_EXECVE = 39,
    LXI_STEP_INIT_FORK = 40,
    LXI_STEP_KEEPCAPS = 41,
    LXI_STEP_SIGNALS = 42,
    LXI_STEP_READ_ERROR_PIPE = 43, /* parent: reading the error pipe failed */
    LXI_STEP_DUMPABLE = 44,       /* prctl(PR_SET_DUMPABLE, 0): the child carries the caller's memory */
    LXI_STEP_CLOSE_INHERITED = 45,/* closing every descriptor the payload is not given, before any path */
    LXI_STEP_KEYRING = 46,        /* keyctl(KEYCTL_JOIN_SESSION_KEYRING): a new session keyring */
    LXI_STEP_VERIFY_CWD = 47,     /* getcwd after fchdir: the working directory must be inside the root */
    LXI_STEP_RESOLVE_PROGRAM = 48,/* openat2 of the program inside the root (magic links refused) */
    LXI_STEP_SECCOMP = 49,        /* seccomp(SECCOMP_SET_MODE_FILTER) */
    LXI_STEP_SECCOMP_LISTENER = 50, /* sending the seccomp listener to the parent */
    LXI_STEP_INIT_IMAGE = 51,     /* parent: the init's sealed memfd */
    LXI_STEP_EXEC_INIT = 52,      /* execveat of the init */
    LXI_STEP_NULL_DEVICE = 53,    /* checking /dev/null, the source of masked files, is the null device */
    LXI_STEP_JOIN_PID_NS = 54,    /* parent: setns of the calling thread's pid namespace for children */
    LXI_STEP_TERMINAL = 55,       /* the pseudo-terminal: /dev/ptmx, unlockpt, the peer, TIOCSCTTY */
    LXI_STEP_SEND_FDS = 56,       /* sending the terminal's master to the parent */
    LXI_STEP_UMASK = 57,
    LXI_STEP_OOM_SCORE = 58,      /* writing /proc/self/oom_score_adj */
    LXI_STEP_SYSCTL = 59,         /* writing a sysctl under /proc/sys inside the new namespaces */
    LXI_STEP_START_GATE = 60      /* waiting for the start: opening the start FIFO for writing */
};

/* Mount kinds (lxi_mount.kind). */
enum lxi_mount_kind {
    LXI_MOUNT_BIND = 1,    /* source (host path) bound on target; flags may hold MS_REC, MS_RDONLY */
    LXI_MOUNT_TMPFS = 2,
    LXI_MOUNT_PROC = 3,    /* mounted from inside the new PID namespace */
    LXI_MOUNT_SYSFS = 4,   /* read-only; falls back to a recursive read-only bind of /sys where mounting is refused */
    LXI_MOUNT_DEVPTS = 5,  /* newinstance, ptmxmode=0666 */
    LXI_MOUNT_MQUEUE = 6,
    LXI_MOUNT_DEV = 7      /* tmpfs with null zero full random urandom tty, ptmx and fd links, pts, shm */
};

/* Root change (lxi_spawn_spec.root_mode). */
enum lxi_root_mode {
    LXI_ROOT_NONE = 0,
    LXI_ROOT_PIVOT = 1,   /* pivot_root(".", ".") then umount2(".", MNT_DETACH) */
    LXI_ROOT_CHROOT = 2
};

/* One mount, applied in order; target is the absolute path the payload sees (below the root if any). */
struct lxi_mount {
    const char *source;   /* bind: the host path; others: NULL (the kernel source name is implied) */
    const char *target;
    const char *data;     /* filesystem options (tmpfs "size=..,mode=.."), or NULL */
    uint64_t flags;       /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC (bind), MS_RELATIME, MS_STRICTATIME or
                           * MS_NOATIME (tmpfs); one of MS_SHARED, MS_SLAVE,
                           * MS_PRIVATE, MS_UNBINDABLE: set on the mount after it is made (with MS_REC if set) */
    uint32_t kind;        /* enum lxi_mount_kind */
    uint32_t reserved;
};

struct lxi_rlimit {
    uint32_t resource;    /* RLIMIT_* */
    uint32_t reserved;
    uint64_t soft;
    uint64_t hard;
};

struct lxi_namespace_join {
    int32_t fd;           /* an open namespace file (/proc/PID/ns/X, /run/netns/NAME) */
    int32_t nstype;       /* CLONE_NEW* the fd must be; the kernel checks it */
    const char *name;     /* how errors name it (its path), or NULL */
};

struct lxi_fd_map {
    int32_t source;       /* a descriptor of the caller */
    int32_t target;       /* the number it gets in the child (0, 1, 2 for stdio) */
};

/* The whole spawn request: one blittable, versioned struct whose first field is its size. Every pointer
 * stays valid (pinned) for the duration of lxi_spawn; strings are NUL-terminated. */
struct lxi_spawn_spec {
    uint32_t size;                /* sizeof(struct lxi_spawn_spec) as the caller knows it */
    uint32_t version;             /* LXI_SPEC_VERSION */
    const char *path;             /* the program: absolute, or a name searched in PATH from envp */
    const char *const *argv;      /* NULL-terminated */
    const char *const *envp;      /* NULL-terminated */
    uint64_t clone_flags;         /* CLONE_NEW* to create */
    const char *uid_map;          /* "inside outside count\n"..., or NULL */
    const char *gid_map;
    int32_t deny_setgroups;       /* write "deny" to /proc/PID/setgroups before gid_map */
    int32_t cgroup_fd;            /* a cgroup v2 directory to start in, or -1 */
    const char *hostname;         /* or NULL */
    const char *domainname;       /* or NULL */
    const char *root;             /* absolute host path of the new root, or NULL */
    uint32_t root_mode;           /* enum lxi_root_mode */
    int32_t root_readonly;
    int32_t bind_root;            /* bind the root onto itself first, so it is a mount point */
    uint32_t propagation;         /* MS_SLAVE or MS_PRIVATE, applied recursively to "/" in a new mount ns; with
                                   * MS_SHARED or MS_UNBINDABLE also set, that one is applied recursively to the
                                   * new root after the root change */
    const struct lxi_mount *mounts;
    uint32_t mount_count;
    uint32_t masked_count;
    const char *const *masked_paths;
    const char *const *readonly_paths;
    uint32_t readonly_count;
    uint32_t join_count;
    const struct lxi_namespace_join *joins;
    const char *cwd;              /* or NULL */
    int32_t set_ids;              /* apply uid, gid, groups */
    uint32_t uid;
    uint32_t gid;
    uint32_t group_count;
    const uint32_t *groups;
    int32_t set_caps;             /* apply cap_keep: all other capabilities are dropped from every set */
    int32_t no_new_privs;
    uint64_t cap_keep;            /* bit n = capability n; the bounding set, and every other set unless cap_sets */
    const struct lxi_rlimit *rlimits;
    uint32_t rlimit_count;
    int32_t pdeath_signal;        /* 0 = none */
    const struct lxi_fd_map *fds; /* stdio (targets 0-2) and passed descriptors */
    uint32_t fd_count;
    int32_t use_init;             /* run the init as PID 1: it forks the payload, reaps, forwards signals */
    int32_t force_clone_fallback; /* test hook: use clone + sync pipe instead of clone3 */
    int32_t fail_step;            /* test hook: enum lxi_step at which the spawn fails with ECANCELED, just
                                   * before that step's system call (0: none); lets tests prove that a
                                   * failure at any step leaves no child, zombie, descriptor or mount */
    /* version 2 */
    uint64_t root_flags;          /* MS_NODEV, MS_NOSUID, MS_NOEXEC for the root bind mount, recursively */
    int32_t new_keyring;          /* join a new anonymous session keyring (keyctl, as runc does) */
    uint32_t seccomp_flags;       /* SECCOMP_FILTER_FLAG_*; with NEW_LISTENER the listener is returned */
    const void *seccomp_filter;   /* struct sock_filter[seccomp_length], or NULL for no filter */
    uint32_t seccomp_length;      /* instructions, at most 4096 */
    uint32_t reserved2;
    /* version 3 */
    int32_t cap_sets;             /* 1: the sets below apply; 0: every set is cap_keep */
    int32_t reserved3;
    uint64_t cap_effective;
    uint64_t cap_permitted;
    uint64_t cap_inheritable;
    uint64_t cap_ambient;
    int32_t pid_ns_fd;            /* a pid namespace to start the child in (parent-side setns), or -1 */
    int32_t gate_fd;              /* O_PATH fd of a FIFO: the child reports ready, then waits there before execve; or -1 */
    int32_t terminal;             /* a new pseudo-terminal as stdin, stdout, stderr and controlling terminal */
    uint16_t terminal_rows;
    uint16_t terminal_columns;
    int32_t umask;                /* umask(2) before execve, or -1 to keep the caller's */
    int32_t set_oom_score_adj;
    int32_t oom_score_adj;        /* written to /proc/self/oom_score_adj, -1000 to 1000 */
    uint32_t sysctl_count;
    const char *const *sysctl_keys;   /* "net/ipv4/ip_forward": a checked path below /proc/sys */
    const char *const *sysctl_values;
};

struct lxi_spawn_result {
    uint32_t size;                /* sizeof(struct lxi_spawn_result) */
    int32_t pid;                  /* the child's pid (in the caller's PID namespace) */
    int32_t pidfd;                /* close-on-exec pidfd of the child */
    int32_t step;                 /* enum lxi_step when failed */
    int32_t error;                /* errno when failed */
    int32_t used_clone3;          /* 1 when clone3 was used, 0 for the fallback */
    int32_t seccomp_listener;     /* close-on-exec seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER), or -1 */
    int32_t terminal_master;      /* close-on-exec master of the payload's pseudo-terminal, or -1 */
    int32_t waiting_at_gate;      /* 1: the child is waiting at the start gate (gate_fd); it has not exec'd yet */
    char path[LXI_PATH_MAX];      /* the path the failed step worked on, or "" */
};

/* Returns "LinuxIsolation.Native <version>". */
const char *lxi_version(void);

/* pidfd_send_signal(2) (Linux 5.1): sends sig to the process pidfd refers to, with no pid-reuse race.
 * Returns 0, or -1 with errno. */
int lxi_pidfd_send_signal(int pidfd, int sig);

/* Starts the process described by spec. Returns 0 and fills result->pid and result->pidfd; or -1 and fills
 * result->step, result->error and result->path, with no child left behind and no descriptor leaked.
 * result->size must be set by the caller. Thread-safe; blocks until the child has exec'd or failed. */
int lxi_spawn(const struct lxi_spawn_spec *spec, struct lxi_spawn_result *result);

#endif

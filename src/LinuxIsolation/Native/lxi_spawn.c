/*
 * The parent side of lxi_spawn: pipes, clone3 (or the clone fallback), id maps and cgroup placement while
 * the child waits, then the error pipe. See lxi_spawn.h for the protocol.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lxi_internal.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* struct clone_args from <linux/sched.h>, version 2 (88 bytes, with cgroup: 5.7). */
struct lxi_clone_args {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

const char *lxi_version(void)
{
    return "LinuxIsolation.Native 2";
}

/* The init's program in a sealed memfd of its own (one per spawn: it is small, and a memfd kept for the
 * process's life would be one more descriptor open forever). Sealed against writes, growth and shrinking,
 * so a container cannot change the file its PID 1 runs from (/proc/1/exe) for itself or for others. */
static int make_init_memfd(void)
{
    /* MFD_EXEC (6.3) keeps it executable where vm.memfd_noexec would make memfds non-executable. */
    int fd = memfd_create("lxi-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
    if (fd < 0 && errno == EINVAL) {
        fd = memfd_create("lxi-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    }
    if (fd < 0) {
        return -1;
    }
    const unsigned char *p = lxi_init_image;
    uint64_t left = lxi_init_image_size;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            errno = saved;
            return -1;
        }
        p += n;
        left -= (uint64_t)n;
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

static void set_failure(struct lxi_spawn_result *result, int step, int error, const char *path)
{
    result->step = step;
    result->error = error;
    lxi_copy_path(result->path, path);
}

static void close_fd(int *fd)
{
    if (*fd >= 0) {
        close(*fd);
        *fd = -1;
    }
}

/* One descriptor the child sent (tagged 's' seccomp listener, 't' terminal master); -1 with errno when there
 * is none left. */
static int receive_fd(int sock, char *tag)
{
    char byte = 0;
    struct iovec iov = { &byte, 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    ssize_t n;
    do {
        n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        if (n >= 0) {
            errno = EIO;
        }
        return -1;
    }
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
        errno = EIO;
        return -1;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    *tag = byte;
    return fd;
}

/* Takes what the child sent over the control socket into result; 0, or -1 with errno when something the spec
 * asked for is missing. */
static int receive_fds(const struct lxi_spawn_spec *spec, int sock, struct lxi_spawn_result *result)
{
    for (;;) {
        char tag;
        int fd = receive_fd(sock, &tag);
        if (fd < 0) {
            break;
        }
        int *slot = tag == 's' ? &result->seccomp_listener : tag == 't' ? &result->terminal_master : NULL;
        if (slot == NULL || *slot >= 0) {
            close(fd);
            errno = EIO;
            return -1;
        }
        *slot = fd;
    }
    int want_listener = spec->seccomp_filter != NULL && (spec->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    if ((want_listener && result->seccomp_listener < 0) || (spec->terminal && result->terminal_master < 0)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

static void close_result_fds(struct lxi_spawn_result *result)
{
    close_fd(&result->seccomp_listener);
    close_fd(&result->terminal_master);
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    if (n < 0) {
        errno = saved;
        return -1;
    }
    if ((size_t)n != len) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Kills and reaps a child that failed or that we failed, so nothing is left behind. */
static void kill_and_reap(pid_t pid)
{
    int status;
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR) {
    }
}

/* Parent-side work while the child waits on the sync pipe; returns 0 or fills result and returns -1. */
static int prepare_child(const struct lxi_spawn_spec *s, pid_t pid, int placed, struct lxi_spawn_result *result)
{
    char path[64];
    if (s->cgroup_fd >= 0 && !placed) {
        /* clone3's CLONE_INTO_CGROUP was not available: move the child before it runs anything. */
        if (s->fail_step == LXI_STEP_CGROUP) {
            set_failure(result, LXI_STEP_CGROUP, ECANCELED, "cgroup.procs");
            return -1;
        }
        char text[16];
        snprintf(text, sizeof(text), "%d", (int)pid);
        int fd = openat(s->cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            set_failure(result, LXI_STEP_CGROUP, errno, "cgroup.procs");
            return -1;
        }
        ssize_t n = write(fd, text, strlen(text));
        int saved = errno;
        close(fd);
        if (n < 0) {
            set_failure(result, LXI_STEP_CGROUP, saved, "cgroup.procs");
            return -1;
        }
    }
    if (s->clone_flags & CLONE_NEWUSER) {
        if (s->deny_setgroups) {
            snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
            if (s->fail_step == LXI_STEP_SETGROUPS_FILE) {
                set_failure(result, LXI_STEP_SETGROUPS_FILE, ECANCELED, path);
                return -1;
            }
            if (write_file(path, "deny") != 0) {
                set_failure(result, LXI_STEP_SETGROUPS_FILE, errno, path);
                return -1;
            }
        }
        if (s->uid_map != NULL) {
            snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
            if (s->fail_step == LXI_STEP_UID_MAP) {
                set_failure(result, LXI_STEP_UID_MAP, ECANCELED, path);
                return -1;
            }
            if (write_file(path, s->uid_map) != 0) {
                set_failure(result, LXI_STEP_UID_MAP, errno, path);
                return -1;
            }
        }
        if (s->gid_map != NULL) {
            snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
            if (s->fail_step == LXI_STEP_GID_MAP) {
                set_failure(result, LXI_STEP_GID_MAP, ECANCELED, path);
                return -1;
            }
            if (write_file(path, s->gid_map) != 0) {
                set_failure(result, LXI_STEP_GID_MAP, errno, path);
                return -1;
            }
        }
    }
    return 0;
}

/* Starting the child in another pid namespace (exec into a running container): pid namespaces apply to a task's
 * children, so the calling thread's "pid namespace for children" is set to the target just around clone and
 * then restored (setns(CLONE_NEWPID) is allowed in a multithreaded process and affects this thread only). If it
 * cannot be restored, this thread would make every later child in the container's pid namespace: the process is
 * terminated rather than go on like that (ARCHITECTURE.md's restore-or-terminate rule). */
static int enter_pid_namespace(int target, int *saved)
{
    *saved = open("/proc/thread-self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
    if (*saved < 0) {
        return -1;
    }
    if (setns(target, CLONE_NEWPID) != 0) {
        int e = errno;
        close_fd(saved);
        errno = e;
        return -1;
    }
    return 0;
}

static void leave_pid_namespace(int *saved)
{
    if (*saved < 0) {
        return;
    }
    if (setns(*saved, CLONE_NEWPID) != 0) {
        static const char message[] = "LinuxIsolation.Native: cannot restore the thread's pid namespace after a spawn; terminating\n";
        ssize_t ignored = write(2, message, sizeof(message) - 1);
        (void)ignored;
        abort();
    }
    close_fd(saved);
}

int lxi_spawn(const struct lxi_spawn_spec *spec, struct lxi_spawn_result *result)
{
    if (result == NULL || result->size < sizeof(struct lxi_spawn_result)) {
        errno = EINVAL;
        return -1;
    }
    memset((char *)result + sizeof(uint32_t), 0, sizeof(struct lxi_spawn_result) - sizeof(uint32_t));
    result->pid = -1;
    result->pidfd = -1;
    result->seccomp_listener = -1;
    result->terminal_master = -1;
    if (spec == NULL || spec->size != sizeof(struct lxi_spawn_spec) || spec->version != LXI_SPEC_VERSION
        || spec->fd_count > LXI_MAX_FDS || spec->path == NULL || spec->argv == NULL || spec->envp == NULL
        || (spec->seccomp_filter != NULL && (spec->seccomp_length == 0 || spec->seccomp_length > 4096))) {
        set_failure(result, LXI_STEP_NONE, EINVAL, NULL);
        return -1;
    }

    int err_pipe[2] = { -1, -1 };
    int sync_pipe[2] = { -1, -1 };
    int control[2] = { -1, -1 };
    int init_fd = -1;
    int saved_pid_ns = -1;
    int need_sync_for_maps = (spec->clone_flags & CLONE_NEWUSER) != 0;
    int want_listener = spec->seccomp_filter != NULL && (spec->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    int want_control = want_listener || spec->terminal;
    if (spec->use_init) {
        if (spec->fail_step == LXI_STEP_INIT_IMAGE) {
            set_failure(result, LXI_STEP_INIT_IMAGE, ECANCELED, "memfd:lxi-init");
            return -1;
        }
        init_fd = make_init_memfd();
        if (init_fd < 0) {
            set_failure(result, LXI_STEP_INIT_IMAGE, errno, "memfd:lxi-init");
            return -1;
        }
    }
    if (spec->fail_step == LXI_STEP_PIPE) {
        set_failure(result, LXI_STEP_PIPE, ECANCELED, NULL);
        goto fail_pipes;
    }
    if (pipe2(err_pipe, O_CLOEXEC) != 0
        || ((need_sync_for_maps || spec->cgroup_fd >= 0) && pipe2(sync_pipe, O_CLOEXEC) != 0)
        || (want_control && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) != 0)) {
        set_failure(result, LXI_STEP_PIPE, errno, NULL);
        goto fail_pipes;
    }

    /* A new cgroup namespace is unshared by the child after placement; a new time namespace needs clone3. */
    uint64_t ns_flags = spec->clone_flags & ~(uint64_t)CLONE_NEWCGROUP;
    struct lxi_child_context ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.spec = spec;
    ctx.err_fd = err_pipe[1];
    ctx.parent_pid = getpid();
    ctx.in_user_ns = (spec->clone_flags & CLONE_NEWUSER) != 0;
    ctx.root_fd = -1;
    ctx.init_fd = init_fd;
    ctx.control_fd = control[1];
    ctx.null_fd = -1;
    ctx.gate_fd = spec->gate_fd;
    ctx.terminal_fd = -1;

    if (spec->pid_ns_fd >= 0) {
        if (spec->fail_step == LXI_STEP_JOIN_PID_NS) {
            set_failure(result, LXI_STEP_JOIN_PID_NS, ECANCELED, "pid namespace");
            goto fail_pipes;
        }
        if (enter_pid_namespace(spec->pid_ns_fd, &saved_pid_ns) != 0) {
            set_failure(result, LXI_STEP_JOIN_PID_NS, errno, "pid namespace");
            goto fail_pipes;
        }
    }

    /* Signals blocked on this thread across clone: the child inherits the full mask, so no runtime signal
     * handler can run in it before it resets them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);

    int pidfd = -1;
    int used_clone3 = 0;
    pid_t pid = -1;
    if (spec->fail_step == LXI_STEP_CLONE) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        leave_pid_namespace(&saved_pid_ns);
        set_failure(result, LXI_STEP_CLONE, ECANCELED, NULL);
        goto fail_pipes;
    }
    if (!spec->force_clone_fallback) {
        struct lxi_clone_args args;
        memset(&args, 0, sizeof(args));
        args.flags = ns_flags | CLONE_PIDFD | (spec->cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
        args.pidfd = (uint64_t)(uintptr_t)&pidfd;
        args.exit_signal = 0; /* no SIGCHLD: the runtime's SIGCHLD handling must not reap this child */
        args.cgroup = spec->cgroup_fd >= 0 ? (uint64_t)spec->cgroup_fd : 0;
        used_clone3 = 1;
        ctx.sync_fd = need_sync_for_maps ? sync_pipe[0] : -1;
        pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0 && (errno == ENOSYS || errno == E2BIG || (errno == EBADF && spec->cgroup_fd >= 0))) {
            /* Before 5.3 (clone3) or 5.7 (CLONE_INTO_CGROUP), or a cgroup v1 directory (CLONE_INTO_CGROUP
             * takes cgroup2 only): clone, then cgroup.procs while the child waits. */
            used_clone3 = 0;
        }
    }
    if (!used_clone3) {
        if (ns_flags & CLONE_NEWTIME) {
            pthread_sigmask(SIG_SETMASK, &old, NULL);
            leave_pid_namespace(&saved_pid_ns);
            set_failure(result, LXI_STEP_CLONE, EINVAL, NULL);
            goto fail_pipes;
        }
        ctx.sync_fd = sync_pipe[0];
        /* Argument order of x86-64 and arm64: flags, stack, parent_tid (receives the pidfd), child_tid, tls. */
        pid = (pid_t)syscall(SYS_clone, (unsigned long)(ns_flags | CLONE_PIDFD), NULL, &pidfd, NULL, 0UL);
    }
    if (pid == 0) {
        close(err_pipe[0]);
        if (control[0] >= 0) {
            close(control[0]);
        }
        if (sync_pipe[1] >= 0) {
            close(sync_pipe[1]);
        }
        if (ctx.sync_fd < 0 && sync_pipe[0] >= 0) {
            close(sync_pipe[0]);
        }
        if (saved_pid_ns >= 0) {
            close(saved_pid_ns);
        }
        lxi_child_main(&ctx);
    }
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    leave_pid_namespace(&saved_pid_ns);
    if (pid < 0) {
        set_failure(result, LXI_STEP_CLONE, clone_errno, NULL);
        goto fail_pipes;
    }
    close_fd(&err_pipe[1]);
    close_fd(&sync_pipe[0]);
    close_fd(&control[1]);
    close_fd(&init_fd);
    result->used_clone3 = used_clone3;

    if (sync_pipe[1] >= 0) {
        if (prepare_child(spec, pid, used_clone3, result) != 0) {
            close_fd(&sync_pipe[1]);
            kill_and_reap(pid);
            close(pidfd);
            close_fd(&err_pipe[0]);
            close_fd(&control[0]);
            return -1;
        }
        char go = 1;
        while (write(sync_pipe[1], &go, 1) < 0 && errno == EINTR) {
        }
        close_fd(&sync_pipe[1]);
    }

    /* End-of-file: the payload exec'd. A record with step 0: the child waits at the start gate. Any other
     * record: the step that failed. */
    struct lxi_child_error record;
    ssize_t n;
    do {
        n = read(err_pipe[0], &record, sizeof(record));
    } while (n < 0 && errno == EINTR);
    int read_errno = errno;
    close_fd(&err_pipe[0]);
    if (n == 0 && spec->fail_step == LXI_STEP_READ_ERROR_PIPE) {
        n = -1;
        read_errno = ECANCELED;
    }
    int ready = n == 0 || (n == (ssize_t)sizeof(record) && record.step == LXI_STEP_NONE && record.error == 0 && spec->gate_fd >= 0);
    if (ready && want_control && receive_fds(spec, control[0], result) != 0) {
        int e = errno;
        close_fd(&control[0]);
        close_result_fds(result);
        kill_and_reap(pid);
        close(pidfd);
        set_failure(result, want_listener && result->seccomp_listener < 0 ? LXI_STEP_SECCOMP_LISTENER : LXI_STEP_SEND_FDS, e, NULL);
        return -1;
    }
    close_fd(&control[0]);
    if (ready) {
        result->pid = pid;
        result->pidfd = pidfd;
        result->waiting_at_gate = n != 0;
        return 0;
    }
    close_result_fds(result);
    kill_and_reap(pid);
    close(pidfd);
    if (n == (ssize_t)sizeof(record)) {
        record.path[LXI_PATH_MAX - 1] = '\0';
        set_failure(result, record.step, record.error, record.path);
    } else {
        set_failure(result, LXI_STEP_READ_ERROR_PIPE, n < 0 ? read_errno : EIO, NULL);
    }
    return -1;

fail_pipes:
    close_fd(&init_fd);
    close_fd(&control[0]);
    close_fd(&control[1]);
    close_fd(&err_pipe[0]);
    close_fd(&err_pipe[1]);
    close_fd(&sync_pipe[0]);
    close_fd(&sync_pipe[1]);
    return -1;
}

int lxi_pidfd_send_signal(int pidfd, int sig)
{
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0U);
}

/*
 * The child side of lxi_spawn: everything between clone and execve. Only raw system calls and
 * async-signal-safe libc calls here: the child is a copy of a multithreaded process, and any lock another
 * thread held at clone time (malloc's, stdio's, the runtime's) stays locked forever in the copy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <sys/statvfs.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lxi_internal.h"

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_RAISE 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#ifndef MOUNT_ATTR_NOSUID
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#ifndef MOUNT_ATTR__ATIME
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#endif
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

struct lxi_mount_attr_v0 {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};

void lxi_copy_path(char *dst, const char *src)
{
    size_t i = 0;
    if (src != NULL) {
        for (; i < LXI_PATH_MAX - 1 && src[i] != '\0'; i++) {
            dst[i] = src[i];
        }
    }
    dst[i] = '\0';
}

void lxi_child_fail(const struct lxi_child_context *ctx, int step, int error, const char *path)
{
    size_t n_fd = strlen(ctx->fd_path);
    if (path != NULL && n_fd > 0 && strncmp(path, ctx->fd_path, n_fd) == 0 && (path[n_fd] == '\0' || path[n_fd] == '/')) {
        /* Report the mount point by the path the caller gave, not by the descriptor it was resolved to. */
        char shown[LXI_PATH_MAX];
        size_t d = strlen(ctx->display);
        size_t rest = strlen(path + n_fd);
        if (d + rest + 1 <= sizeof(shown)) {
            memcpy(shown, ctx->display, d);
            memcpy(shown + d, path + n_fd, rest + 1);
            lxi_report_and_exit(ctx->err_fd, step, error, shown);
        }
        lxi_report_and_exit(ctx->err_fd, step, error, ctx->display);
    }
    lxi_report_and_exit(ctx->err_fd, step, error, path);
}

/* dst = root + target (target is absolute as the payload sees it); fails the spawn when too long. */
static void join_path(const struct lxi_child_context *ctx, char *dst, const char *root, const char *target, int step)
{
    size_t rl = root == NULL ? 0 : strlen(root);
    size_t tl = strlen(target);
    while (rl > 0 && root[rl - 1] == '/') {
        rl--;
    }
    if (rl + tl + 1 > LXI_PATH_MAX) {
        lxi_child_fail(ctx, step, ENAMETOOLONG, target);
    }
    if (rl > 0) {
        memcpy(dst, root, rl);
    }
    memcpy(dst + rl, target, tl + 1);
    if (dst[0] == '\0') {
        dst[0] = '/';
        dst[1] = '\0';
    }
}

/* mkdir -p; existing components are fine. */
static void make_dirs(const struct lxi_child_context *ctx, const char *path)
{
    LXI_FAULT(ctx, LXI_STEP_MKDIR, path);
    char buf[LXI_PATH_MAX];
    lxi_copy_path(buf, path);
    size_t len = strlen(buf);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                lxi_child_fail(ctx, LXI_STEP_MKDIR, errno, buf);
            }
            buf[i] = saved;
        }
    }
}

/* Creates the mount point for a bind of source: a directory, or an empty file when source is not one. */
static void make_mount_point(const struct lxi_child_context *ctx, const char *target, const char *source)
{
    struct stat st;
    if (source != NULL && stat(source, &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (lstat(target, &st) == 0) {
            return;
        }
        char parent[LXI_PATH_MAX];
        lxi_copy_path(parent, target);
        char *slash = strrchr(parent, '/');
        if (slash != NULL && slash != parent) {
            *slash = '\0';
            make_dirs(ctx, parent);
        }
        int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_MKDIR, errno, target);
        }
        close(fd);
        return;
    }
    make_dirs(ctx, target);
}

/* The flags the kernel locks on a mount (a remount inside a user namespace must repeat them). */
static unsigned long locked_flags(const char *path)
{
    struct statfs st;
    unsigned long flags = 0;
    if (statfs(path, &st) != 0) {
        return 0;
    }
    if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flags & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flags & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

/* Sets MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC (any of flags) on the mount at path: on the whole tree with
 * mount_setattr (5.12) when recursive, otherwise (or on older kernels) a bind remount of the top mount, which
 * must repeat the flags the kernel locked on it. */
static void set_mount_flags(const struct lxi_child_context *ctx, const char *path, int recursive, unsigned long flags, int step)
{
    LXI_FAULT(ctx, step, path);
    unsigned long atime = flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
    if (recursive) {
        struct lxi_mount_attr_v0 attr;
        memset(&attr, 0, sizeof(attr));
        attr.attr_set = ((flags & MS_RDONLY) ? MOUNT_ATTR_RDONLY : 0) | ((flags & MS_NOSUID) ? MOUNT_ATTR_NOSUID : 0)
            | ((flags & MS_NODEV) ? MOUNT_ATTR_NODEV : 0) | ((flags & MS_NOEXEC) ? MOUNT_ATTR_NOEXEC : 0)
            | ((atime & MS_NOATIME) ? MOUNT_ATTR_NOATIME : 0) | ((atime & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME : 0);
        if (atime != 0) {
            attr.attr_clr = MOUNT_ATTR__ATIME; /* the access time is one setting: clear it to set it (relatime is 0) */
        }
        if (syscall(SYS_mount_setattr, AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof(attr)) == 0) {
            return;
        }
        if (errno != ENOSYS) {
            lxi_child_fail(ctx, step, errno, path);
        }
    }
    unsigned long locked = locked_flags(path);
    if (atime != 0) {
        locked &= ~(MS_NOATIME | MS_RELATIME | MS_NODIRATIME); /* the access time asked for replaces the current one */
    }
    if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | locked | flags, NULL) != 0) {
        lxi_child_fail(ctx, step, errno, path);
    }
}

/* Makes the mount at path read-only (see set_mount_flags). */
static void make_readonly(const struct lxi_child_context *ctx, const char *path, int recursive, unsigned long extra, int step)
{
    set_mount_flags(ctx, path, recursive, MS_RDONLY | extra, step);
}

static void do_mount(const struct lxi_child_context *ctx, const char *source, const char *target,
                     const char *fstype, unsigned long flags, const char *data)
{
    LXI_FAULT(ctx, LXI_STEP_MOUNT, target);
    if (mount(source, target, fstype, flags, data) != 0) {
        lxi_child_fail(ctx, LXI_STEP_MOUNT, errno, target);
    }
}

static void dev_node(const struct lxi_child_context *ctx, const char *dev, const char *name, unsigned int major_nr, unsigned int minor_nr)
{
    char path[LXI_PATH_MAX];
    char host[64] = "/dev/";
    LXI_FAULT(ctx, LXI_STEP_MKNOD, dev);
    join_path(ctx, path, dev, "/", LXI_STEP_MKNOD);
    size_t len = strlen(path);
    if (len + strlen(name) + 1 > LXI_PATH_MAX) {
        lxi_child_fail(ctx, LXI_STEP_MKNOD, ENAMETOOLONG, dev);
    }
    memcpy(path + len, name, strlen(name) + 1);
    if (ctx->in_user_ns) {
        /* A user namespace cannot make device nodes: bind the host's over an empty file. */
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
        if (fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_MKNOD, errno, path);
        }
        close(fd);
        memcpy(host + 5, name, strlen(name) + 1);
        do_mount(ctx, host, path, NULL, MS_BIND, NULL);
        return;
    }
    if (mknod(path, S_IFCHR | 0666, makedev(major_nr, minor_nr)) != 0) {
        lxi_child_fail(ctx, LXI_STEP_MKNOD, errno, path);
    }
    /* mknod applied the inherited umask. */
    if (chmod(path, 0666) != 0) {
        lxi_child_fail(ctx, LXI_STEP_MKNOD, errno, path);
    }
}

static void dev_link(const struct lxi_child_context *ctx, const char *dev, const char *name, const char *to)
{
    char path[LXI_PATH_MAX];
    LXI_FAULT(ctx, LXI_STEP_SYMLINK, dev);
    join_path(ctx, path, dev, name, LXI_STEP_SYMLINK);
    if (symlink(to, path) != 0) {
        lxi_child_fail(ctx, LXI_STEP_SYMLINK, errno, path);
    }
}

/* A minimal /dev, as runc and crun make it, inside the tmpfs just mounted at dev. */
static void mount_dev(const struct lxi_child_context *ctx, const char *dev)
{
    char path[LXI_PATH_MAX];
    dev_node(ctx, dev, "null", 1, 3);
    dev_node(ctx, dev, "zero", 1, 5);
    dev_node(ctx, dev, "full", 1, 7);
    dev_node(ctx, dev, "random", 1, 8);
    dev_node(ctx, dev, "urandom", 1, 9);
    dev_node(ctx, dev, "tty", 5, 0);
    dev_link(ctx, dev, "/ptmx", "pts/ptmx");
    dev_link(ctx, dev, "/fd", "/proc/self/fd");
    dev_link(ctx, dev, "/stdin", "/proc/self/fd/0");
    dev_link(ctx, dev, "/stdout", "/proc/self/fd/1");
    dev_link(ctx, dev, "/stderr", "/proc/self/fd/2");
    join_path(ctx, path, dev, "/pts", LXI_STEP_MKDIR);
    make_dirs(ctx, path);
    do_mount(ctx, "devpts", path, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    join_path(ctx, path, dev, "/shm", LXI_STEP_MKDIR);
    make_dirs(ctx, path);
    do_mount(ctx, "shm", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
    if (ctx->spec->clone_flags & CLONE_NEWIPC) {
        join_path(ctx, path, dev, "/mqueue", LXI_STEP_MKDIR);
        make_dirs(ctx, path);
        do_mount(ctx, "mqueue", path, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    }
}


/* Opens rel (a path below the root) as O_PATH, resolving every symlink and ".." inside the root
 * (openat2 RESOLVE_IN_ROOT, Linux 5.6), so a root file system cannot point a mount point at the host. */
static int open_in_root(const struct lxi_child_context *ctx, const char *rel, int extra_flags)
{
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = (uint64_t)(O_PATH | O_CLOEXEC | extra_flags);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    while (*rel == '/') {
        rel++;
    }
    if (*rel == '\0') {
        rel = ".";
    }
    return (int)syscall(SYS_openat2, ctx->root_fd, rel, &how, sizeof(how));
}

static void format_fd_path(char *dst, int fd)
{
    char digits[12];
    int n = 0;
    unsigned int v = (unsigned int)fd;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    memcpy(dst, "/proc/self/fd/", 14);
    for (int i = 0; i < n; i++) {
        dst[14 + i] = digits[n - 1 - i];
    }
    dst[14 + n] = '\0';
}

/* Creates the mount point rel below the root (directories, and an empty file when as_file), every component
 * resolved inside the root, and returns an O_PATH fd of it. */
static int make_mount_point_in_root(const struct lxi_child_context *ctx, const char *rel, int as_file, const char *shown)
{
    char buf[LXI_PATH_MAX];
    lxi_copy_path(buf, rel);
    size_t len = strlen(buf);
    int parent = fcntl(ctx->root_fd, F_DUPFD_CLOEXEC, 0);
    if (parent < 0) {
        lxi_child_fail(ctx, LXI_STEP_MKDIR, errno, shown);
    }
    size_t start = 0;
    while (start < len && buf[start] == '/') {
        start++;
    }
    for (size_t i = start; i <= len; i++) {
        if (i < len && buf[i] != '/') {
            continue;
        }
        if (i == start) {
            start = i + 1;
            continue;
        }
        int last = i == len;
        char saved = buf[i];
        buf[i] = '\0';
        int fd = open_in_root(ctx, buf, last && as_file ? 0 : O_DIRECTORY);
        if (fd < 0 && errno == ENOENT) {
            const char *name = buf + start;
            int rc;
            if (last && as_file) {
                rc = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
                if (rc >= 0) {
                    close(rc);
                    rc = 0;
                }
            } else {
                rc = mkdirat(parent, name, 0755);
            }
            if (rc != 0 && errno != EEXIST) {
                lxi_child_fail(ctx, LXI_STEP_MKDIR, errno, shown);
            }
            fd = open_in_root(ctx, buf, last && as_file ? 0 : O_DIRECTORY);
        }
        if (fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_MKDIR, errno, shown);
        }
        close(parent);
        parent = fd;
        buf[i] = saved;
        start = i + 1;
    }
    return parent;
}

/* Points ctx->fd_path at a fresh O_PATH fd of the mount point (after a mount: the new mount's root). */
static int reopen_target(struct lxi_child_context *ctx, int old_fd, const char *rel, int as_file)
{
    if (old_fd >= 0) {
        close(old_fd);
    }
    int fd = open_in_root(ctx, rel, as_file ? 0 : O_DIRECTORY);
    if (fd < 0) {
        lxi_child_fail(ctx, LXI_STEP_MOUNT, errno, ctx->display);
    }
    format_fd_path(ctx->fd_path, fd);
    return fd;
}

static void apply_mount(struct lxi_child_context *ctx, const struct lxi_mount *m, const char *root)
{
    char shown[LXI_PATH_MAX];
    char target[LXI_PATH_MAX];
    unsigned long flags = (unsigned long)m->flags;
    unsigned long propagation = flags & (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE);
    flags &= ~propagation;
    unsigned long common = flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
    struct stat st;
    int as_file = m->kind == LXI_MOUNT_BIND && m->source != NULL && stat(m->source, &st) == 0 && !S_ISDIR(st.st_mode);
    int fd = -1;
    join_path(ctx, shown, root, m->target, LXI_STEP_MOUNT);

    /* The mount point: below a new root it is made and opened with every component resolved inside the root,
     * and the mounts go through /proc/self/fd/N, so symlinks in the root file system cannot redirect them to
     * the host (what runc does with securejoin). Without a root (or before openat2, Linux 5.6) the path is
     * the caller's own, used as given. */
    if (ctx->root_fd >= 0) {
        lxi_copy_path(ctx->display, shown);
        fd = make_mount_point_in_root(ctx, m->target, as_file, shown);
        format_fd_path(ctx->fd_path, fd);
        lxi_copy_path(target, ctx->fd_path);
    } else {
        if (m->kind == LXI_MOUNT_BIND) {
            make_mount_point(ctx, shown, m->source);
        } else {
            make_dirs(ctx, shown);
        }
        lxi_copy_path(target, shown);
    }

    switch (m->kind) {
    case LXI_MOUNT_BIND:
        do_mount(ctx, m->source, target, NULL, MS_BIND | (flags & MS_REC), NULL);
        if (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) {
            if (fd >= 0) {
                fd = reopen_target(ctx, fd, m->target, as_file);
                lxi_copy_path(target, ctx->fd_path);
            }
            set_mount_flags(ctx, target, (flags & MS_REC) != 0,
                            (flags & (MS_RDONLY | MS_NOATIME | MS_RELATIME | MS_STRICTATIME)) | common, LXI_STEP_REMOUNT_RO);
        }
        break;
    case LXI_MOUNT_TMPFS:
        do_mount(ctx, "tmpfs", target, "tmpfs", flags & ~(unsigned long)MS_REC, m->data);
        break;
    case LXI_MOUNT_PROC:
        do_mount(ctx, "proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | (flags & MS_RDONLY), m->data);
        break;
    case LXI_MOUNT_SYSFS:
        if (mount("sysfs", target, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
            if (errno != EPERM) {
                lxi_child_fail(ctx, LXI_STEP_MOUNT, errno, target);
            }
            /* Refused (a user namespace that does not own the network namespace): bind the host's, read-only. */
            do_mount(ctx, "/sys", target, NULL, MS_BIND | MS_REC, NULL);
            if (fd >= 0) {
                fd = reopen_target(ctx, fd, m->target, 0);
                lxi_copy_path(target, ctx->fd_path);
            }
            make_readonly(ctx, target, 1, 0, LXI_STEP_REMOUNT_RO);
        }
        break;
    case LXI_MOUNT_DEVPTS:
        do_mount(ctx, "devpts", target, "devpts", MS_NOSUID | MS_NOEXEC,
                 m->data != NULL ? m->data : "newinstance,ptmxmode=0666,mode=0620");
        break;
    case LXI_MOUNT_MQUEUE:
        do_mount(ctx, "mqueue", target, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        break;
    case LXI_MOUNT_DEV:
        do_mount(ctx, "tmpfs", target, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
        if (fd >= 0) {
            /* Everything below goes inside the fresh tmpfs, reached through its own descriptor. */
            fd = reopen_target(ctx, fd, m->target, 0);
            lxi_copy_path(target, ctx->fd_path);
        }
        mount_dev(ctx, target);
        break;
    default:
        lxi_child_fail(ctx, LXI_STEP_MOUNT, EINVAL, target);
    }
    if (propagation != 0) {
        /* The descriptor is the mount point under the new mount: reopen it to reach the mount itself. */
        if (fd >= 0) {
            fd = reopen_target(ctx, fd, m->target, as_file);
            lxi_copy_path(target, ctx->fd_path);
        }
        LXI_FAULT(ctx, LXI_STEP_PROPAGATION, target);
        if (mount(NULL, target, NULL, propagation | (flags & MS_REC), NULL) != 0) {
            lxi_child_fail(ctx, LXI_STEP_PROPAGATION, errno, shown);
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    ctx->fd_path[0] = '\0';
}

/* Binds the root onto itself (pivot_root needs a mount point) and applies the flags asked for to the whole
 * tree: nodev by default, so device nodes in the image cannot be opened (runc makes its bind mounts nodev). */
static void bind_root(const struct lxi_child_context *ctx, const char *root)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    LXI_FAULT(ctx, LXI_STEP_BIND_ROOT, root);
    if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) != 0) {
        lxi_child_fail(ctx, LXI_STEP_BIND_ROOT, errno, root);
    }
    unsigned long flags = (unsigned long)s->root_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (flags != 0) {
        set_mount_flags(ctx, root, 1, flags, LXI_STEP_BIND_ROOT);
    }
}

static void set_root(const struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    LXI_FAULT(ctx, LXI_STEP_CHDIR_ROOT, s->root);
    if (chdir(s->root) != 0) {
        lxi_child_fail(ctx, LXI_STEP_CHDIR_ROOT, errno, s->root);
    }
    if (s->root_mode == LXI_ROOT_PIVOT) {
        /* pivot_root(".", ".") stacks the old root on top of the new one; detaching "." then removes it,
         * so no put_old directory is needed inside the new root (crun and runc do the same). */
        LXI_FAULT(ctx, LXI_STEP_PIVOT_ROOT, s->root);
        if (syscall(SYS_pivot_root, ".", ".") != 0) {
            lxi_child_fail(ctx, LXI_STEP_PIVOT_ROOT, errno, s->root);
        }
        LXI_FAULT(ctx, LXI_STEP_UMOUNT_OLD_ROOT, s->root);
        if (umount2(".", MNT_DETACH) != 0) {
            lxi_child_fail(ctx, LXI_STEP_UMOUNT_OLD_ROOT, errno, s->root);
        }
    } else {
        LXI_FAULT(ctx, LXI_STEP_CHROOT, s->root);
        if (chroot(".") != 0) {
            lxi_child_fail(ctx, LXI_STEP_CHROOT, errno, s->root);
        }
    }
    if (chdir("/") != 0) {
        lxi_child_fail(ctx, LXI_STEP_CHDIR_ROOT, errno, "/");
    }
}

/* Opens the process's /dev/null (after the root changed: the one it will see) and checks that it is the null
 * device (character 1:3): masked files are covered by binding it, and a /dev/null that is something else (a
 * symlink, a file of the image's, another device) would put that object over the masked path instead (runc's
 * CVE-2025-31133). */
static void open_null_device(struct lxi_child_context *ctx)
{
    LXI_FAULT(ctx, LXI_STEP_NULL_DEVICE, "/dev/null");
    ctx->null_fd = lxi_open_in_process_root("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (ctx->null_fd == -ENOSYS) {
        ctx->null_fd = open("/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    } else if (ctx->null_fd < 0) {
        errno = -ctx->null_fd;
        ctx->null_fd = -1;
    }
    if (ctx->null_fd < 0) {
        lxi_child_fail(ctx, LXI_STEP_NULL_DEVICE, errno, "/dev/null");
    }
    struct stat st;
    if (fstat(ctx->null_fd, &st) != 0) {
        lxi_child_fail(ctx, LXI_STEP_NULL_DEVICE, errno, "/dev/null");
    }
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
        lxi_child_fail(ctx, LXI_STEP_NULL_DEVICE, ENODEV, "/dev/null");
    }
}

/* Binds the checked null device over the file at path (inside the root, magic links refused): open_tree and
 * move_mount (Linux 5.2) take both ends as descriptors, so neither can be redirected by a symlink. */
static int mask_file(const struct lxi_child_context *ctx, const char *path)
{
    int target = lxi_open_in_process_root(path, O_PATH | O_CLOEXEC);
    if (target == -ENOSYS) {
        /* Before openat2 (5.6): by name. */
        char source[32];
        format_fd_path(source, ctx->null_fd);
        return mount(source, path, NULL, MS_BIND, NULL);
    }
    if (target < 0) {
        errno = -target;
        return -1;
    }
    int tree = (int)syscall(SYS_open_tree, ctx->null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    int rc;
    if (tree < 0) {
        char source[32];
        char dest[32];
        format_fd_path(source, ctx->null_fd);
        format_fd_path(dest, target);
        rc = mount(source, dest, NULL, MS_BIND, NULL);
    } else {
        rc = (int)syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
        int saved = errno;
        close(tree);
        errno = saved;
    }
    int saved = errno;
    close(target);
    errno = saved;
    return rc;
}

static void mask_paths(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    if (s->masked_count > 0) {
        open_null_device(ctx);
    }
    for (uint32_t i = 0; i < s->masked_count; i++) {
        const char *p = s->masked_paths[i];
        struct stat st;
        LXI_FAULT(ctx, LXI_STEP_MASK_PATH, p);
        if (lstat(p, &st) != 0) {
            if (errno == ENOENT) {
                continue;
            }
            lxi_child_fail(ctx, LXI_STEP_MASK_PATH, errno, p);
        }
        int rc = S_ISDIR(st.st_mode)
            ? mount("tmpfs", p, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
            : mask_file(ctx, p);
        if (rc != 0) {
            lxi_child_fail(ctx, LXI_STEP_MASK_PATH, errno, p);
        }
    }
    for (uint32_t i = 0; i < s->readonly_count; i++) {
        const char *p = s->readonly_paths[i];
        LXI_FAULT(ctx, LXI_STEP_READONLY_PATH, p);
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) != 0) {
            if (errno == ENOENT) {
                continue;
            }
            lxi_child_fail(ctx, LXI_STEP_READONLY_PATH, errno, p);
        }
        make_readonly(ctx, p, 1, MS_NOSUID | MS_NODEV | MS_NOEXEC, LXI_STEP_READONLY_PATH);
    }
}

static void set_capabilities(const struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    uint64_t effective = s->cap_sets ? s->cap_effective : s->cap_keep;
    uint64_t permitted = s->cap_sets ? s->cap_permitted : s->cap_keep;
    uint64_t inheritable = s->cap_sets ? s->cap_inheritable : s->cap_keep;
    memset(data, 0, sizeof(data));
    data[0].effective = (uint32_t)effective;
    data[1].effective = (uint32_t)(effective >> 32);
    data[0].permitted = (uint32_t)permitted;
    data[1].permitted = (uint32_t)(permitted >> 32);
    data[0].inheritable = (uint32_t)inheritable;
    data[1].inheritable = (uint32_t)(inheritable >> 32);
    LXI_FAULT(ctx, LXI_STEP_CAPSET, NULL);
    if (syscall(SYS_capset, &header, data) != 0) {
        lxi_child_fail(ctx, LXI_STEP_CAPSET, errno, NULL);
    }
    LXI_FAULT(ctx, LXI_STEP_AMBIENT, NULL);
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        lxi_child_fail(ctx, LXI_STEP_AMBIENT, errno, NULL);
    }
    /* Kept capabilities are raised in the ambient set too (unless the sets are given one by one), so a payload
     * running as a non-root uid keeps them across execve. An ambient capability must be permitted and
     * inheritable. */
    uint64_t ambient = s->cap_sets ? s->cap_ambient : s->cap_keep;
    for (int cap = 0; cap < 64; cap++) {
        if ((ambient >> cap) & 1) {
            if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0 && errno != EINVAL) {
                lxi_child_fail(ctx, LXI_STEP_AMBIENT, errno, NULL);
            }
        }
    }
}

static void drop_bounding_set(const struct lxi_child_context *ctx)
{
    LXI_FAULT(ctx, LXI_STEP_CAPBSET_DROP, NULL);
    for (int cap = 0; cap < 64; cap++) {
        if ((ctx->spec->cap_keep >> cap) & 1) {
            continue;
        }
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            if (errno == EINVAL) {
                break; /* past CAP_LAST_CAP of this kernel */
            }
            lxi_child_fail(ctx, LXI_STEP_CAPBSET_DROP, errno, NULL);
        }
    }
}

static void mark_cloexec(const struct lxi_child_context *ctx, unsigned int from, unsigned int to)
{
    LXI_FAULT(ctx, LXI_STEP_CLOSE_FDS, NULL);
    if (syscall(SYS_close_range, from, to, CLOSE_RANGE_CLOEXEC) == 0) {
        return;
    }
    if (errno != ENOSYS && errno != EINVAL) {
        lxi_child_fail(ctx, LXI_STEP_CLOSE_FDS, errno, NULL);
    }
    /* Before 5.11: one by one up to a generous bound. */
    unsigned int last = to > 65535 ? 65535 : to;
    for (unsigned int fd = from; fd <= last; fd++) {
        fcntl((int)fd, F_SETFD, FD_CLOEXEC);
    }
}

/* Closes descriptors from..to (inclusive): close_range (5.9), else one by one up to the descriptor limit. */
static void close_span(const struct lxi_child_context *ctx, unsigned int from, unsigned int to)
{
    if (from > to) {
        return;
    }
    if (syscall(SYS_close_range, from, to, 0U) == 0) {
        return;
    }
    if (errno != ENOSYS) {
        lxi_child_fail(ctx, LXI_STEP_CLOSE_INHERITED, errno, NULL);
    }
    struct rlimit rl;
    unsigned int last = 65535;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 1048576) {
        last = (unsigned int)rl.rlim_cur;
    }
    if (to < last) {
        last = to;
    }
    for (unsigned int fd = from; fd <= last; fd++) {
        close((int)fd);
    }
}

static void sort_insert(int *sorted, uint32_t *n, int v)
{
    uint32_t j = *n;
    while (j > 0 && sorted[j - 1] > v) {
        sorted[j] = sorted[j - 1];
        j--;
    }
    sorted[j] = v;
    (*n)++;
}

/* Closes (not just marks) every descriptor above the standard streams that the payload is not given and the
 * spawn does not need: the caller's directories, sockets, cgroup and namespace handles. It runs before the
 * child touches any path the caller or the image chose, so no "/proc/self/fd/N" can lead back to the host
 * (runc's CVE-2024-21626). What stays: the payload's descriptors (their sources), the error pipe, the init's
 * memfd and the seccomp listener's socket, all of which are close-on-exec or moved to their numbers later. */
static void close_inherited(const struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    int sorted[LXI_MAX_FDS + 3];
    uint32_t n = 0;
    LXI_FAULT(ctx, LXI_STEP_CLOSE_INHERITED, NULL);
    for (uint32_t i = 0; i < s->fd_count; i++) {
        sort_insert(sorted, &n, s->fds[i].source);
    }
    sort_insert(sorted, &n, ctx->err_fd);
    if (ctx->init_fd >= 0) {
        sort_insert(sorted, &n, ctx->init_fd);
    }
    if (ctx->control_fd >= 0) {
        sort_insert(sorted, &n, ctx->control_fd);
    }
    if (ctx->gate_fd >= 0) {
        sort_insert(sorted, &n, ctx->gate_fd);
    }
    unsigned int from = 3;
    for (uint32_t i = 0; i < n; i++) {
        unsigned int keep = (unsigned int)sorted[i];
        if (keep < from) {
            continue;
        }
        if (keep > from) {
            close_span(ctx, from, keep - 1);
        }
        from = keep + 1;
    }
    close_span(ctx, from, ~0U);
}

/* Moves fd above every target number (so no dup2 below overwrites it), close-on-exec. */
static void move_above(const struct lxi_child_context *ctx, int *fd, int max_target)
{
    if (*fd < 0 || *fd > max_target) {
        return;
    }
    int moved = fcntl(*fd, F_DUPFD_CLOEXEC, max_target + 1);
    if (moved < 0) {
        lxi_child_fail(ctx, LXI_STEP_DUP_FD, errno, NULL);
    }
    close(*fd);
    *fd = moved;
}

/* Moves the descriptors to their numbers in the payload and marks every other one close-on-exec. */
static void set_up_fds(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    int tmp[LXI_MAX_FDS];
    int max_target = 2;
    LXI_FAULT(ctx, LXI_STEP_DUP_FD, NULL);
    for (uint32_t i = 0; i < s->fd_count; i++) {
        if (s->fds[i].target > max_target) {
            max_target = s->fds[i].target;
        }
    }
    /* The spawn's own descriptors go above every target first. */
    move_above(ctx, &ctx->err_fd, max_target);
    move_above(ctx, &ctx->init_fd, max_target);
    move_above(ctx, &ctx->control_fd, max_target);
    move_above(ctx, &ctx->gate_fd, max_target);
    move_above(ctx, &ctx->terminal_fd, max_target);
    /* Two passes: copy every source above the targets first, so a source that is also another entry's
     * target is not clobbered; then dup2 the copies (dup2 clears close-on-exec on the target). */
    for (uint32_t i = 0; i < s->fd_count; i++) {
        tmp[i] = fcntl(s->fds[i].source, F_DUPFD_CLOEXEC, max_target + 1);
        if (tmp[i] < 0) {
            lxi_child_fail(ctx, LXI_STEP_DUP_FD, errno, NULL);
        }
    }
    for (uint32_t i = 0; i < s->fd_count; i++) {
        if (dup2(tmp[i], s->fds[i].target) < 0) {
            lxi_child_fail(ctx, LXI_STEP_DUP_FD, errno, NULL);
        }
    }
    if (ctx->terminal_fd >= 0) {
        /* The terminal's peer is stdin, stdout and stderr, and the controlling terminal of the new session. */
        for (int t = 0; t < 3; t++) {
            if (dup2(ctx->terminal_fd, t) < 0) {
                lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, NULL);
            }
        }
        close(ctx->terminal_fd);
        ctx->terminal_fd = -1;
        if (ioctl(0, TIOCSCTTY, 0) != 0) {
            lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, NULL);
        }
    }
    /* Every descriptor from 3 up that is not a target: close-on-exec (the error pipe must survive until
     * execve, so they are marked, not closed; the host's were closed at the start). Walk the gaps between the
     * sorted targets. */
    int sorted[LXI_MAX_FDS];
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->fd_count; i++) {
        if (s->fds[i].target >= 3) {
            sort_insert(sorted, &n, s->fds[i].target);
        }
    }
    unsigned int from = 3;
    for (uint32_t i = 0; i < n; i++) {
        unsigned int t = (unsigned int)sorted[i];
        if (t < from) {
            continue; /* the same target twice */
        }
        if (t > from) {
            mark_cloexec(ctx, from, t - 1);
        }
        from = t + 1;
    }
    mark_cloexec(ctx, from, ~0U);
}

/* A session keyring of the container's own (runc does the same): without it the payload shares the caller's
 * session keyring and can read the keys in it. */
static void join_new_keyring(const struct lxi_child_context *ctx)
{
    LXI_FAULT(ctx, LXI_STEP_KEYRING, NULL);
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL, 0, 0, 0) < 0 && errno != ENOSYS) {
        lxi_child_fail(ctx, LXI_STEP_KEYRING, errno, NULL);
    }
}

/* The working directory, resolved inside the root with magic links refused (a "/proc/self/fd/N" or an image
 * symlink to one fails with ELOOP), entered with fchdir and checked afterwards: getcwd says "(unreachable)"
 * for a directory outside the root (runc 1.1.12's check for CVE-2024-21626). */
static void change_directory(const struct lxi_child_context *ctx)
{
    const char *cwd = ctx->spec->cwd;
    LXI_FAULT(ctx, LXI_STEP_CHDIR, cwd);
    int fd = lxi_open_directory_in_root(cwd);
    if (fd == -ENOSYS) {
        if (chdir(cwd) != 0) {
            lxi_child_fail(ctx, LXI_STEP_CHDIR, errno, cwd);
        }
    } else {
        if (fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_CHDIR, -fd, cwd);
        }
        if (fchdir(fd) != 0) {
            lxi_child_fail(ctx, LXI_STEP_CHDIR, errno, cwd);
        }
        close(fd);
    }
    LXI_FAULT(ctx, LXI_STEP_VERIFY_CWD, cwd);
    char buf[LXI_PATH_MAX];
    long n = syscall(SYS_getcwd, buf, sizeof(buf));
    if (n < 0 && errno != ERANGE) {
        lxi_child_fail(ctx, LXI_STEP_VERIFY_CWD, errno, cwd);
    }
    if (n > 0 && buf[0] != '/') {
        lxi_child_fail(ctx, LXI_STEP_VERIFY_CWD, EXDEV, cwd);
    }
}

/* Sends fd to the parent over the control socket (SCM_RIGHTS), tagged with one byte ('s' the seccomp
 * listener, 't' the terminal's master), then closes it here. */
static void send_fd(const struct lxi_child_context *ctx, char tag, int fd, int step)
{
    struct iovec iov = { &tag, 1 };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    do {
        n = sendmsg(ctx->control_fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        lxi_child_fail(ctx, step, n < 0 ? errno : EIO, NULL);
    }
    close(fd);
}

/* seccomp(SECCOMP_SET_MODE_FILTER). With a listener flag the kernel returns the listener, which goes to the
 * parent. */
static void install_seccomp(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    if (s->seccomp_filter == NULL || ctx->seccomp_done) {
        return;
    }
    int want_listener = (s->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;
    LXI_FAULT(ctx, LXI_STEP_SECCOMP, NULL);
    if (want_listener) {
        LXI_FAULT(ctx, LXI_STEP_SECCOMP_LISTENER, NULL);
    }
    struct sock_fprog prog;
    prog.len = (unsigned short)s->seccomp_length;
    prog.filter = (struct sock_filter *)s->seccomp_filter;
    long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, s->seccomp_flags, &prog);
    if (listener < 0) {
        lxi_child_fail(ctx, LXI_STEP_SECCOMP, errno, NULL);
    }
    ctx->seccomp_done = 1;
    if (want_listener) {
        send_fd(ctx, 's', (int)listener, LXI_STEP_SECCOMP_LISTENER);
    }
}

/* The payload's pseudo-terminal, made from the container's own devpts (its /dev/ptmx, after the root
 * changed), as runc does for `terminal: true`: the master goes to the parent, the peer becomes stdio and the
 * controlling terminal in set_up_fds. */
static void open_terminal(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    LXI_FAULT(ctx, LXI_STEP_TERMINAL, "/dev/ptmx");
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) {
        lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, "/dev/ptmx");
    }
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) != 0) {
        lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, "/dev/ptmx");
    }
    /* TIOCGPTPEER (4.13) opens the peer through the master, not by a name that could be swapped. */
    int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (peer < 0) {
        lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, "/dev/ptmx");
    }
    if (s->terminal_rows != 0 || s->terminal_columns != 0) {
        struct winsize ws;
        memset(&ws, 0, sizeof(ws));
        ws.ws_row = s->terminal_rows;
        ws.ws_col = s->terminal_columns;
        if (ioctl(peer, TIOCSWINSZ, &ws) != 0) {
            lxi_child_fail(ctx, LXI_STEP_TERMINAL, errno, "/dev/ptmx");
        }
    }
    LXI_FAULT(ctx, LXI_STEP_SEND_FDS, NULL);
    send_fd(ctx, 't', master, LXI_STEP_SEND_FDS);
    ctx->terminal_fd = peer;
}

/* Writes the sysctls (inside the new namespaces, through the process's /proc). */
static void write_sysctls(const struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    for (uint32_t i = 0; i < s->sysctl_count; i++) {
        char path[LXI_PATH_MAX] = "/proc/sys/";
        size_t k = 10;
        const char *key = s->sysctl_keys[i];
        for (size_t j = 0; key[j] != '\0' && k + 1 < sizeof(path); j++) {
            path[k++] = key[j]; /* already a path below /proc/sys, checked by the caller */
        }
        path[k] = '\0';
        LXI_FAULT(ctx, LXI_STEP_SYSCTL, path);
        int fd = lxi_open_in_process_root(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd == -ENOSYS) {
            fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
            if (fd < 0) {
                fd = -errno;
            }
        }
        if (fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_SYSCTL, -fd, path);
        }
        size_t len = strlen(s->sysctl_values[i]);
        ssize_t n = write(fd, s->sysctl_values[i], len);
        int saved = errno;
        close(fd);
        if (n < 0 || (size_t)n != len) {
            lxi_child_fail(ctx, LXI_STEP_SYSCTL, n < 0 ? saved : EIO, path);
        }
    }
}

/* The create/start split (what runc does with exec.fifo): tell the parent the process is ready (a record with
 * step 0 on the error pipe), then block reading one byte from the start FIFO. The parent opened it O_RDWR, so
 * this process is a writer too and the read never sees end-of-file: it waits until whoever starts the
 * container opens the FIFO for writing (that never blocks while we hold it) and writes a byte. Whoever spawned
 * us may be gone by now, so a failure after this point cannot be reported; the child exits 127. */
static void wait_at_gate(struct lxi_child_context *ctx)
{
    if (ctx->gate_fd < 0) {
        return;
    }
    LXI_FAULT(ctx, LXI_STEP_START_GATE, NULL);
    struct lxi_child_error ready;
    memset(&ready, 0, sizeof(ready));
    ssize_t n;
    do {
        n = write(ctx->err_fd, &ready, sizeof(ready));
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(ready)) {
        lxi_child_fail(ctx, LXI_STEP_START_GATE, n < 0 ? errno : EIO, NULL);
    }
    char go;
    do {
        n = read(ctx->gate_fd, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        lxi_child_fail(ctx, LXI_STEP_START_GATE, n < 0 ? errno : EPIPE, NULL);
    }
    close(ctx->gate_fd);
    ctx->gate_fd = -1;
}

static char *format_int(char *dst, long v)
{
    char digits[24];
    int n = 0;
    int negative = v < 0;
    unsigned long u = negative ? (unsigned long)-v : (unsigned long)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    char *p = dst;
    if (negative) {
        *p++ = '-';
    }
    while (n > 0) {
        *p++ = digits[--n];
    }
    *p = '\0';
    return dst;
}

/* Runs the init from its sealed memfd (see init/lxi_init.c for its command line). The signal mask stays full:
 * the init waits for its signals with sigtimedwait. */
__attribute__((noreturn)) static void exec_init(const struct lxi_child_context *ctx, const struct lxi_program *prog)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    uint32_t argc = 0;
    while (s->argv[argc] != NULL) {
        argc++;
    }
    LXI_FAULT(ctx, LXI_STEP_EXEC_INIT, NULL);
    if (argc > 65536) {
        lxi_child_fail(ctx, LXI_STEP_EXEC_INIT, E2BIG, NULL);
    }
    char flags[24];
    char err[24];
    char step[24];
    char dir[24];
    const char *argv[argc + 8];
    argv[0] = "lxi-init";
    argv[1] = format_int(flags, (s->clone_flags & CLONE_NEWPID) ? 0 : 1);
    argv[2] = format_int(err, ctx->err_fd);
    argv[3] = format_int(step, s->fail_step);
    argv[4] = format_int(dir, prog->dirfd);
    argv[5] = prog->name;
    argv[6] = prog->path;
    for (uint32_t i = 0; i <= argc; i++) {
        argv[7 + i] = s->argv[i];
    }
    /* The error pipe must survive this exec: the init reports the payload's exec failure on it; so must the
     * program's directory, which the payload is run from. */
    if (fcntl(ctx->err_fd, F_SETFD, 0) != 0 || (prog->dirfd >= 0 && fcntl(prog->dirfd, F_SETFD, 0) != 0)) {
        lxi_child_fail(ctx, LXI_STEP_EXEC_INIT, errno, NULL);
    }
    syscall(SYS_execveat, ctx->init_fd, "", (char *const *)argv, (char *const *)s->envp, AT_EMPTY_PATH);
    int saved = errno;
    fcntl(ctx->err_fd, F_SETFD, FD_CLOEXEC);
    lxi_child_fail(ctx, LXI_STEP_EXEC_INIT, saved, NULL);
}

void lxi_child_main(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    const char *root = s->root_mode != LXI_ROOT_NONE ? s->root : NULL;

    /* No handler of the parent's (the runtime's) may run here: every disposition back to default. The
     * mask stays full until execve. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            sigaction(sig, &dfl, NULL); /* glibc's reserved real-time signals fail with EINVAL: fine */
        }
    }
    LXI_FAULT(ctx, LXI_STEP_SIGNALS, NULL);

    /* Wait for the parent to write the id maps and, on the fallback path, to place us in the cgroup. */
    if (ctx->sync_fd >= 0) {
        LXI_FAULT(ctx, LXI_STEP_WAIT_PARENT, NULL);
        char b;
        ssize_t n;
        do {
            n = read(ctx->sync_fd, &b, 1);
        } while (n < 0 && errno == EINTR);
        if (n != 1) {
            lxi_child_fail(ctx, LXI_STEP_WAIT_PARENT, n < 0 ? errno : EPIPE, NULL);
        }
        close(ctx->sync_fd);
        ctx->sync_fd = -1;
    }

    /* In a new user namespace, become its root now that the maps are written (runc's nsexec does the same):
     * the caller's ids are usually unmapped there, and a file made with them (the empty files under /dev that
     * the host's devices are bound on) fails with EOVERFLOW. EINVAL: 0 is not mapped; the ids stay as they are
     * until the payload's are set. */
    if (s->clone_flags & CLONE_NEWUSER) {
        if (syscall(SYS_setresgid, 0, 0, 0) != 0 && errno != EINVAL) {
            lxi_child_fail(ctx, LXI_STEP_SETGID, errno, NULL);
        }
        if (syscall(SYS_setresuid, 0, 0, 0) != 0 && errno != EINVAL) {
            lxi_child_fail(ctx, LXI_STEP_SETUID, errno, NULL);
        }
    }

    /* Until execve this process is a copy of the caller: its memory, environment and descriptors. Not
     * dumpable, nobody without CAP_SYS_PTRACE can ptrace it or open its /proc files (/proc/PID/mem, environ,
     * exe), not even a process of the container it joins. Set after the parent wrote the id maps, which
     * needs the child's /proc files to be owned by its own user. execve makes the payload dumpable again. */
    LXI_FAULT(ctx, LXI_STEP_DUMPABLE, NULL);
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        lxi_child_fail(ctx, LXI_STEP_DUMPABLE, errno, NULL);
    }

    for (uint32_t i = 0; i < s->join_count; i++) {
        LXI_FAULT(ctx, LXI_STEP_SETNS, s->joins[i].name);
        if (setns(s->joins[i].fd, s->joins[i].nstype) != 0) {
            lxi_child_fail(ctx, LXI_STEP_SETNS, errno, s->joins[i].name);
        }
        if (s->joins[i].nstype == CLONE_NEWUSER) {
            ctx->in_user_ns = 1;
        }
        if (s->joins[i].nstype == CLONE_NEWNS) {
            ctx->own_mount_ns = 1;
        }
    }
    if (s->clone_flags & CLONE_NEWNS) {
        ctx->own_mount_ns = 1;
    }

    /* From here on no descriptor of the caller's is open but those the payload gets. */
    close_inherited(ctx);

    if (s->new_keyring) {
        join_new_keyring(ctx);
    }

    /* A new cgroup namespace is made here, after placement, so its root is the target cgroup. */
    if (s->clone_flags & CLONE_NEWCGROUP) {
        LXI_FAULT(ctx, LXI_STEP_UNSHARE_CGROUP, NULL);
    }
    if ((s->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) != 0) {
        lxi_child_fail(ctx, LXI_STEP_UNSHARE_CGROUP, errno, NULL);
    }

    LXI_FAULT(ctx, LXI_STEP_SETSID, NULL);
    if (setsid() < 0) {
        lxi_child_fail(ctx, LXI_STEP_SETSID, errno, NULL);
    }

    if (ctx->own_mount_ns) {
        /* Nothing mounted below may propagate back to the host's mount namespace (nor, in a joined one, to the
         * namespaces it is a peer of). */
        LXI_FAULT(ctx, LXI_STEP_PROPAGATION, "/");
        unsigned long first = s->propagation & (MS_SLAVE | MS_PRIVATE);
        if (mount(NULL, "/", NULL, MS_REC | (first != 0 ? first : MS_SLAVE), NULL) != 0) {
            lxi_child_fail(ctx, LXI_STEP_PROPAGATION, errno, "/");
        }
        if (root != NULL && s->bind_root) {
            bind_root(ctx, root);
        }
    }

    ctx->root_fd = -1;
    if (root != NULL && s->mount_count > 0) {
        ctx->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (ctx->root_fd < 0) {
            lxi_child_fail(ctx, LXI_STEP_CHDIR_ROOT, errno, root);
        }
        /* openat2 is Linux 5.6: before it, fall back to the paths as given. */
        int probe = open_in_root(ctx, "/", O_DIRECTORY);
        if (probe >= 0) {
            close(probe);
        } else {
            close(ctx->root_fd);
            ctx->root_fd = -1;
        }
    }
    for (uint32_t i = 0; i < s->mount_count; i++) {
        apply_mount(ctx, &s->mounts[i], root);
    }
    if (ctx->root_fd >= 0) {
        close(ctx->root_fd);
        ctx->root_fd = -1;
    }

    if (root != NULL) {
        set_root(ctx);
    }

    /* rootfsPropagation shared or unbindable: on the container's own tree only (it stays a slave of the host's). */
    unsigned long last = s->propagation & (MS_SHARED | MS_UNBINDABLE);
    if (ctx->own_mount_ns && last != 0) {
        LXI_FAULT(ctx, LXI_STEP_PROPAGATION, "/");
        if (mount(NULL, "/", NULL, MS_REC | last, NULL) != 0) {
            lxi_child_fail(ctx, LXI_STEP_PROPAGATION, errno, "/");
        }
    }

    /* Names first, so that a kernel.hostname sysctl has the last word, as in runc. */
    if (s->hostname != NULL) {
        LXI_FAULT(ctx, LXI_STEP_SETHOSTNAME, s->hostname);
    }
    if (s->domainname != NULL) {
        LXI_FAULT(ctx, LXI_STEP_SETDOMAINNAME, s->domainname);
    }
    if (s->hostname != NULL && sethostname(s->hostname, strlen(s->hostname)) != 0) {
        lxi_child_fail(ctx, LXI_STEP_SETHOSTNAME, errno, s->hostname);
    }
    if (s->domainname != NULL && setdomainname(s->domainname, strlen(s->domainname)) != 0) {
        lxi_child_fail(ctx, LXI_STEP_SETDOMAINNAME, errno, s->domainname);
    }

    /* Sysctls before the read-only and masked paths, which cover /proc/sys. */
    write_sysctls(ctx);

    mask_paths(ctx);
    if (ctx->null_fd >= 0) {
        close(ctx->null_fd);
        ctx->null_fd = -1;
    }

    if (s->terminal) {
        open_terminal(ctx);
    }

    if (root != NULL && s->root_readonly) {
        LXI_FAULT(ctx, LXI_STEP_READONLY_ROOT, s->root);
        if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags("/"), NULL) != 0) {
            lxi_child_fail(ctx, LXI_STEP_READONLY_ROOT, errno, s->root);
        }
    }

    if (s->cwd != NULL) {
        change_directory(ctx);
    }

    if (s->set_oom_score_adj) {
        /* Before the capabilities go: lowering it needs CAP_SYS_RESOURCE. */
        LXI_FAULT(ctx, LXI_STEP_OOM_SCORE, "/proc/self/oom_score_adj");
        char text[16];
        format_int(text, s->oom_score_adj);
        int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));
        int saved = errno;
        if (fd >= 0) {
            close(fd);
        }
        if (n < 0) {
            lxi_child_fail(ctx, LXI_STEP_OOM_SCORE, saved, "/proc/self/oom_score_adj");
        }
    }

    /* The descriptors, limits and umask before the filter, so that the system calls they make (close_range
     * among them, which a profile older than Linux 5.9 does not name) never run under it. */
    set_up_fds(ctx);

    /* Limits after the descriptors: a low RLIMIT_NOFILE must not stop the descriptor shuffle above, whose
     * temporary copies sit above every target (and above the caller's many open descriptors). */
    for (uint32_t i = 0; i < s->rlimit_count; i++) {
        struct rlimit rl = { (rlim_t)s->rlimits[i].soft, (rlim_t)s->rlimits[i].hard };
        static const char *const names[] = {
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
        };
        const char *name = s->rlimits[i].resource < sizeof(names) / sizeof(names[0]) ? names[s->rlimits[i].resource] : NULL;
        LXI_FAULT(ctx, LXI_STEP_SETRLIMIT, name);
        if (setrlimit((int)s->rlimits[i].resource, &rl) != 0) {
            lxi_child_fail(ctx, LXI_STEP_SETRLIMIT, errno, name);
        }
    }

    if (s->umask >= 0) {
        LXI_FAULT(ctx, LXI_STEP_UMASK, NULL);
        umask((mode_t)s->umask);
    }

    /* Without no_new_privs the kernel takes a filter only from a task with CAP_SYS_ADMIN: install it while the
     * capabilities are still there (runc does the same). Under it run only the id and capability changes, the
     * parent-death signal, the start gate and execve: system calls every profile allows. */
    if (!s->no_new_privs) {
        install_seccomp(ctx);
    }

    /* runc's order: bounding set first (needs CAP_SETPCAP), keep capabilities across the uid change,
     * switch ids, then set the remaining sets. */
    if (s->set_caps) {
        drop_bounding_set(ctx);
    }
    if (s->set_ids) {
        if (s->set_caps) {
            LXI_FAULT(ctx, LXI_STEP_KEEPCAPS, NULL);
        }
        if (s->set_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
            lxi_child_fail(ctx, LXI_STEP_KEEPCAPS, errno, NULL);
        }
        LXI_FAULT(ctx, LXI_STEP_SETGROUPS, NULL);
        if (syscall(SYS_setgroups, (size_t)s->group_count, s->groups) != 0) {
            /* With setgroups denied in this user namespace only an empty list could be asked for. */
            if (!(errno == EPERM && s->group_count == 0 && s->deny_setgroups)) {
                lxi_child_fail(ctx, LXI_STEP_SETGROUPS, errno, NULL);
            }
        }
        /* Raw syscalls: glibc's wrappers would try to signal the parent's other threads (setxid broadcast). */
        LXI_FAULT(ctx, LXI_STEP_SETGID, NULL);
        if (syscall(SYS_setresgid, s->gid, s->gid, s->gid) != 0) {
            lxi_child_fail(ctx, LXI_STEP_SETGID, errno, NULL);
        }
        LXI_FAULT(ctx, LXI_STEP_SETUID, NULL);
        if (syscall(SYS_setresuid, s->uid, s->uid, s->uid) != 0) {
            lxi_child_fail(ctx, LXI_STEP_SETUID, errno, NULL);
        }
        if (s->set_caps && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
            lxi_child_fail(ctx, LXI_STEP_KEEPCAPS, errno, NULL);
        }
    }
    if (s->set_caps) {
        set_capabilities(ctx);
    }

    if (s->no_new_privs) {
        LXI_FAULT(ctx, LXI_STEP_NO_NEW_PRIVS, NULL);
    }
    if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        lxi_child_fail(ctx, LXI_STEP_NO_NEW_PRIVS, errno, NULL);
    }

    /* Set after the uid change, which clears it. If the parent already died, nobody would send it. */
    if (s->pdeath_signal != 0) {
        LXI_FAULT(ctx, LXI_STEP_PDEATHSIG, NULL);
        if (prctl(PR_SET_PDEATHSIG, s->pdeath_signal, 0, 0, 0) != 0) {
            lxi_child_fail(ctx, LXI_STEP_PDEATHSIG, errno, NULL);
        }
        if (!(s->clone_flags & CLONE_NEWPID) && getppid() != ctx->parent_pid) {
            lxi_child_fail(ctx, LXI_STEP_PDEATHSIG, ESRCH, NULL);
        }
    }

    if (s->use_init) {
        /* The payload's program is found here, not in the init (a failure is the spawn's, as runc reports it at
         * create), and before the start gate; the init gets the directory's descriptor. */
        struct lxi_program prog;
        LXI_FAULT(ctx, LXI_STEP_RESOLVE_PROGRAM, s->path);
        int rc = lxi_find_program(s->path, (char *const *)s->envp, &prog, ctx->seccomp_done);
        if (rc < 0) {
            lxi_child_fail(ctx, LXI_STEP_RESOLVE_PROGRAM, -rc, s->path);
        }
        install_seccomp(ctx);
        wait_at_gate(ctx);
        exec_init(ctx, &prog);
    }
    lxi_exec_payload(ctx);
}

void lxi_exec_payload(struct lxi_child_context *ctx)
{
    const struct lxi_spawn_spec *s = ctx->spec;
    struct lxi_program prog;
    LXI_FAULT(ctx, LXI_STEP_RESOLVE_PROGRAM, s->path);
    /* As the payload's user, after the id change. Without no_new_privs the filter is in already; a profile
     * older than openat2 refuses it with EPERM, and then the lookup is the path's, as before Linux 5.6 (every
     * descriptor of the caller is closed by now, so no /proc/self/fd link leads to the host). */
    int rc = lxi_find_program(s->path, (char *const *)s->envp, &prog, ctx->seccomp_done);
    if (rc < 0) {
        lxi_child_fail(ctx, LXI_STEP_RESOLVE_PROGRAM, -rc, s->path);
    }
    /* The filter is the last thing before execve, so nothing of the spawn's own runs under it (but the start
     * gate, whose listener must reach the parent before it returns, as in runc). */
    install_seccomp(ctx);
    wait_at_gate(ctx);
    LXI_FAULT(ctx, LXI_STEP_EXECVE, prog.path);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    rc = lxi_exec_program(&prog, (char *const *)s->argv, (char *const *)s->envp);
    lxi_child_fail(ctx, LXI_STEP_EXECVE, -rc, prog.path);
}

/*
 * Finding and running the payload: shared by the native library's child (lxi_child.c) and the freestanding
 * init (init/lxi_init.c), so both resolve the program the same way. Raw system calls only (lxi_sys.h), no libc.
 *
 * Why not plain execve(path): the path is the caller's (or the image's) and is resolved inside a root file
 * system the payload may control. A symlink in the image to "/proc/self/fd/N" or "/proc/1/root/..." (a magic
 * link) would lead out of the root (runc's CVE-2024-21626). So the program is resolved with openat2's
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS (Linux 5.6): every "..", absolute symlink and symlink target stays
 * inside the root and magic links are refused (ELOOP). The directory that holds it is then opened the same
 * way and the program is run with execveat(dirfd, name): the directories on the way cannot be swapped after
 * the check, and the name the kernel records (comm, the script name) is the program's own, as with execve.
 * A script run through a close-on-exec directory descriptor fails with ENOENT (its interpreter could not open
 * it), so scripts are run with execve of the checked path.
 */
#ifndef LXI_EXEC_H
#define LXI_EXEC_H

#include <stdint.h>
#include <linux/openat2.h>
#ifdef LXI_FREESTANDING
#include <linux/fcntl.h>
#include <linux/stat.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#endif

#include "lxi_spawn.h"
#include "lxi_sys.h"

#ifndef O_PATH
#define O_PATH 010000000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 02000000
#endif
#ifndef O_DIRECTORY
#define O_DIRECTORY 0200000
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define LXI_EPERM 1
#define LXI_ENOENT 2
#define LXI_EACCES 13
#define LXI_ENOTDIR 20
#define LXI_ENAMETOOLONG 36
#define LXI_ENOSYS 38
#define LXI_ELOOP 40

/* The record a child writes to the error pipe before exiting with 127. Smaller than PIPE_BUF, so the write is
 * atomic and the parent reads it whole or not at all. */
struct lxi_child_error {
    int32_t step;
    int32_t error;
    char path[LXI_PATH_MAX];
};

/* A program found and checked, ready for lxi_exec_program. */
struct lxi_program {
    int dirfd;                    /* O_PATH of the directory holding it, or -1 (no openat2: plain execve) */
    char name[256];               /* its last path component */
    char path[LXI_PATH_MAX];      /* the whole path, for execve of scripts and for errors */
};

static inline unsigned long lxi_str_len(const char *s)
{
    unsigned long n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Copies src into dst (LXI_PATH_MAX bytes), truncating. */
static inline void lxi_str_copy(char *dst, const char *src, unsigned long size)
{
    unsigned long i = 0;
    if (src != 0) {
        for (; i + 1 < size && src[i] != '\0'; i++) {
            dst[i] = src[i];
        }
    }
    dst[i] = '\0';
}

/* Writes {step, error, path} to err_fd and exits the process with 127. */
__attribute__((noreturn)) static inline void lxi_report_and_exit(int err_fd, int step, int error, const char *path)
{
    struct lxi_child_error record;
    char *p = (char *)&record;
    for (unsigned long i = 0; i < sizeof(record); i++) {
        p[i] = 0;
    }
    record.step = step;
    record.error = error;
    lxi_str_copy(record.path, path, sizeof(record.path));
    long n;
    do {
        n = lxi_sys3(__NR_write, err_fd, &record, sizeof(record));
    } while (n == -4 /* EINTR */);
    for (;;) {
        lxi_sys1(__NR_exit_group, 127);
    }
}

/* openat2(base, path, flags, resolve); -errno on failure. */
static inline int lxi_open_checked(int base, const char *path, uint64_t flags, uint64_t resolve)
{
    struct open_how how;
    how.flags = flags;
    how.mode = 0;
    how.resolve = resolve;
    return (int)lxi_sys4(__NR_openat2, base, path, &how, sizeof(how));
}

/* Opens the absolute path inside the process's root (openat2 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS from
 * "/"); -errno on failure, -ENOSYS before openat2. */
static inline int lxi_open_in_process_root(const char *path, uint64_t flags)
{
    int root = (int)lxi_sys4(__NR_openat, AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
    if (root < 0) {
        return root;
    }
    int fd = lxi_open_checked(root, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    lxi_sys1(__NR_close, root);
    return fd;
}

/* Opens path (absolute: inside the process's root; relative: from the working directory) for use as a
 * directory or working directory: O_PATH | O_DIRECTORY, magic links refused. -errno on failure. */
static inline int lxi_open_directory_in_root(const char *path)
{
    if (path[0] == '/') {
        return lxi_open_in_process_root(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    return lxi_open_checked(AT_FDCWD, path, O_PATH | O_DIRECTORY | O_CLOEXEC, RESOLVE_NO_MAGICLINKS);
}

/* Checks one candidate path and opens its directory into prog. 0, or -errno: ELOOP when it resolves
 * through a magic link (or too many symlinks), EACCES when it is not an executable regular file, ENOSYS
 * before openat2 (the caller falls back to execve). */
static inline int lxi_check_program(const char *path, struct lxi_program *prog, int refused_is_absent)
{
    unsigned long len = lxi_str_len(path);
    if (len + 1 > sizeof(prog->path)) {
        return -LXI_ENAMETOOLONG;
    }
    lxi_str_copy(prog->path, path, sizeof(prog->path));
    int root = -1;
    uint64_t resolve = RESOLVE_NO_MAGICLINKS;
    int base = AT_FDCWD;
    if (path[0] == '/') {
        root = (int)lxi_sys4(__NR_openat, AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        if (root < 0) {
            return root;
        }
        base = root;
        resolve |= RESOLVE_IN_ROOT;
    }
    int rc;
    int fd = lxi_open_checked(base, path, O_PATH | O_CLOEXEC, resolve);
    if (fd == -LXI_EPERM && refused_is_absent) {
        fd = -LXI_ENOSYS;
    }
    if (fd < 0) {
        rc = fd;
        goto out;
    }
    struct statx stx;
    rc = (int)lxi_sys5(__NR_statx, fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MODE, &stx);
    lxi_sys1(__NR_close, fd);
    if (rc < 0) {
        goto out;
    }
    if ((stx.stx_mode & 0170000) != 0100000 || (stx.stx_mode & 0111) == 0) {
        rc = -LXI_EACCES;
        goto out;
    }
    /* Split into directory and name. */
    unsigned long slash = len;
    while (slash > 0 && path[slash - 1] != '/') {
        slash--;
    }
    if (len - slash + 1 > sizeof(prog->name) || slash == len) {
        rc = slash == len ? -LXI_EACCES : -LXI_ENAMETOOLONG;
        goto out;
    }
    lxi_str_copy(prog->name, path + slash, sizeof(prog->name));
    char dir[LXI_PATH_MAX];
    if (slash == 0) {
        dir[0] = '.';
        dir[1] = '\0';
    } else {
        lxi_str_copy(dir, path, slash + 1); /* keeps the trailing '/': "/bin/" */
    }
    prog->dirfd = lxi_open_checked(base, dir, O_PATH | O_DIRECTORY | O_CLOEXEC, resolve);
    rc = prog->dirfd < 0 ? prog->dirfd : 0;
out:
    if (root >= 0) {
        lxi_sys1(__NR_close, root);
    }
    return rc;
}

/* Finds the program: a path with a slash is checked as it is; a bare name is searched in PATH (from envp, or
 * the default search path) like execvp. Returns 0 with prog filled, or -errno (ENOENT when no directory has
 * it, EACCES when only non-executable ones matched). Before openat2 (Linux 5.6) prog->dirfd is -1 and the
 * path is used with plain execve; so it is when refused_is_absent is set and openat2 fails with EPERM (the
 * caller's seccomp filter is in place and its profile, older than openat2, refuses it). */
static inline int lxi_find_program(const char *file, char *const *envp, struct lxi_program *prog, int refused_is_absent)
{
    prog->dirfd = -1;
    prog->name[0] = '\0';
    int has_slash = 0;
    for (const char *c = file; *c != '\0'; c++) {
        if (*c == '/') {
            has_slash = 1;
            break;
        }
    }
    if (has_slash) {
        int rc = lxi_check_program(file, prog, refused_is_absent);
        if (rc == -LXI_ENOSYS) {
            prog->dirfd = -1;
            lxi_str_copy(prog->path, file, sizeof(prog->path));
            return 0;
        }
        return rc;
    }
    const char *search = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (char *const *e = envp; *e != 0; e++) {
        const char *v = *e;
        if (v[0] == 'P' && v[1] == 'A' && v[2] == 'T' && v[3] == 'H' && v[4] == '=') {
            search = v + 5;
            break;
        }
    }
    unsigned long name_len = lxi_str_len(file);
    int saw_eacces = 0;
    const char *p = search;
    for (;;) {
        const char *end = p;
        while (*end != '\0' && *end != ':') {
            end++;
        }
        unsigned long dir_len = (unsigned long)(end - p);
        char buf[LXI_PATH_MAX];
        if (dir_len + name_len + 3 <= sizeof(buf)) {
            unsigned long k = 0;
            if (dir_len == 0) {
                buf[k++] = '.';
            } else {
                for (unsigned long i = 0; i < dir_len; i++) {
                    buf[k++] = p[i];
                }
            }
            buf[k++] = '/';
            for (unsigned long i = 0; i <= name_len; i++) {
                buf[k + i] = file[i];
            }
            int rc = lxi_check_program(buf, prog, refused_is_absent);
            if (rc == 0) {
                return 0;
            }
            if (rc == -LXI_ENOSYS) {
                /* No openat2: the first existing candidate, as execvp would try it. */
                struct statx stx;
                if (lxi_sys5(__NR_statx, AT_FDCWD, buf, 0, STATX_TYPE, &stx) == 0) {
                    prog->dirfd = -1;
                    lxi_str_copy(prog->path, buf, sizeof(prog->path));
                    return 0;
                }
            } else if (rc == -LXI_EACCES) {
                saw_eacces = 1;
            } else if (rc != -LXI_ENOENT && rc != -LXI_ENOTDIR) {
                return rc;
            }
        }
        if (*end == '\0') {
            break;
        }
        p = end + 1;
    }
    return saw_eacces ? -LXI_EACCES : -LXI_ENOENT;
}

/* Runs prog; returns -errno only when that failed. */
static inline int lxi_exec_program(const struct lxi_program *prog, char *const *argv, char *const *envp)
{
    if (prog->dirfd >= 0) {
        int rc = (int)lxi_sys5(__NR_execveat, prog->dirfd, prog->name, argv, envp, 0);
        if (rc != -LXI_ENOENT) {
            return rc;
        }
        /* A script: its interpreter cannot open "/dev/fd/N/name" through a close-on-exec descriptor. The path
         * was checked above; run it by name. */
    }
    return (int)lxi_sys3(__NR_execve, prog->path, argv, envp);
}

#endif

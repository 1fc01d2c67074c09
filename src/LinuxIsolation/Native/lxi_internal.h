/* Internal declarations shared by the library's .c files; not part of the contract. */
#ifndef LXI_INTERNAL_H
#define LXI_INTERNAL_H

#include <errno.h>

#include "lxi_exec.h"
#include "lxi_spawn.h"

/* The most descriptors a spawn passes (lxi_spawn_spec.fd_count). */
#define LXI_MAX_FDS 256

/* The test hook spec->fail_step, in the child: fail at step as if its system call had failed (ECANCELED). */
#define LXI_FAULT(ctx, step, path)                                          \
    do {                                                                    \
        if ((ctx)->spec->fail_step == (step)) {                             \
            lxi_child_fail((ctx), (step), ECANCELED, (path));               \
        }                                                                   \
    } while (0)

/* What the child needs beyond the spec; lives on the child's copy of the parent's stack. */
struct lxi_child_context {
    const struct lxi_spawn_spec *spec;
    int err_fd;           /* write end of the error pipe (close-on-exec) */
    int sync_fd;          /* read end of the sync pipe, or -1 when the child need not wait */
    int parent_pid;       /* the caller's pid, for the parent-death check */
    int in_user_ns;       /* a new or joined user namespace: device nodes are bound, not made */
    int own_mount_ns;     /* a new or joined mount namespace: mounts and the root change happen in it */
    int root_fd;          /* O_PATH fd of the new root while mounting below it, or -1 */
    int init_fd;          /* the init's sealed memfd (use_init), or -1 */
    int control_fd;       /* the child's end of the socket descriptors are sent to the parent over, or -1 */
    int null_fd;          /* O_PATH fd of the checked null device, the source of masked files, or -1 */
    int gate_fd;          /* the start FIFO (spec->gate_fd, moved), or -1 once passed */
    int terminal_fd;      /* the peer of the payload's pseudo-terminal until it becomes stdio, or -1 */
    int seccomp_done;     /* the filter is installed */
    char fd_path[32];     /* "/proc/self/fd/N" of the mount point being worked on, or "" */
    char display[LXI_PATH_MAX]; /* the path errors show instead of fd_path */
};

/* Runs in the child after clone; never returns (execve or _exit(127)). */
__attribute__((noreturn)) void lxi_child_main(struct lxi_child_context *ctx);

/* Reports a failure at step with errno and the path it worked on, then _exit(127). */
__attribute__((noreturn)) void lxi_child_fail(const struct lxi_child_context *ctx, int step, int error, const char *path);

/* Replaces the child with the payload (PATH search when the name has no slash); on failure reports
 * LXI_STEP_EXECVE and exits. */
__attribute__((noreturn)) void lxi_exec_payload(struct lxi_child_context *ctx);

/* The init's program (init/lxi_init.c, built freestanding and embedded by lxi_init_image.S). */
extern const unsigned char lxi_init_image[];
extern const uint64_t lxi_init_image_size;

/* Copies src into dst (LXI_PATH_MAX bytes), truncating; async-signal-safe. */
void lxi_copy_path(char *dst, const char *src);

#endif

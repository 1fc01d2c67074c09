/*
 * The optional init: a tiny PID 1 that runs in the spawned child, in place of the payload. It forks the
 * payload, reaps every process that ends up as its child (orphans are reparented to PID 1 of a PID
 * namespace, or to it as a subreaper without one), forwards SIGTERM, SIGINT and SIGHUP to the payload and
 * exits with the payload's exit code, or 128 + the signal number when a signal ended the payload (a PID 1
 * cannot be killed by its own default signal actions, so it cannot re-raise it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "lxi_internal.h"

void lxi_run_init(struct lxi_child_context *ctx)
{
    LXI_FAULT(ctx, LXI_STEP_INIT_FORK, NULL);
    if (!(ctx->spec->clone_flags & CLONE_NEWPID)) {
        /* Not PID 1 of a namespace: become a subreaper so orphans still come to us. */
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            lxi_child_fail(ctx, LXI_STEP_INIT_FORK, errno, NULL);
        }
    }

    /* Shown by ps as the init rather than as a copy of the caller. */
    prctl(PR_SET_NAME, (unsigned long)"lxi-init", 0, 0, 0);

    /* A raw clone instead of fork(): no atfork handlers of the parent's runtime may run. Signals are still
     * blocked, so none is lost between here and sigwaitinfo. */
    pid_t payload = (pid_t)syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
    if (payload < 0) {
        lxi_child_fail(ctx, LXI_STEP_INIT_FORK, errno, NULL);
    }
    if (payload == 0) {
        lxi_exec_payload(ctx);
    }

    /* The init keeps no descriptor: the error pipe must reach end-of-file when the payload execs, and the
     * payload's stdio must not be held open by us. */
    syscall(SYS_close_range, 0U, ~0U, 0U);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&set, &info);
        if (sig < 0) {
            continue;
        }
        if (sig != SIGCHLD) {
            kill(payload, sig);
            continue;
        }
        for (;;) {
            int status;
            pid_t pid = waitpid(-1, &status, WNOHANG);
            if (pid <= 0) {
                break;
            }
            if (pid == payload) {
                _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            }
        }
    }
}

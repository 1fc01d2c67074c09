/*
 * lxi-init: the optional PID 1 of an IsolatedProcess (UseInit). A freestanding static program (no libc, raw
 * system calls only), built by the LinuxIsolation project and embedded in the native library, which runs it
 * from a sealed memfd (execveat of the memfd, as runc runs itself for its init):
 *   - PID 1 is a program of its own, not a copy of the orchestrator: no host memory, no host environment
 *     (it is given the payload's), no double-mapped runtime code; /proc/1/exe is a sealed memfd that cannot
 *     be written (runc's CVE-2019-5736);
 *   - it is not dumpable (PR_SET_DUMPABLE 0), so the payload cannot ptrace it or open its /proc files without
 *     CAP_SYS_PTRACE.
 * It forks the payload, reaps every process that ends up as its child (orphans are reparented to PID 1 of a
 * PID namespace, or to it as a subreaper without one), forwards SIGTERM, SIGINT and SIGHUP to the payload and
 * exits with the payload's exit code, or 128 + the signal number when a signal ended the payload (a PID 1
 * cannot be killed by its own default signal actions, so it cannot re-raise it).
 *
 * Command line (written by lxi_child.c, not for people):
 *   lxi-init FLAGS ERR_FD FAIL_STEP DIR_FD NAME PATH ARGV0 [ARG...]
 * FLAGS bit 0: become a child subreaper (not PID 1 of a new PID namespace). ERR_FD: the spawn's error pipe,
 * where a failure to run the program is reported as for any other step. FAIL_STEP: the spawn's test hook.
 * DIR_FD, NAME, PATH: the program as the spawn found it (lxi_find_program, so a missing program fails the
 * spawn itself): the descriptor of its directory (-1 without openat2), its name there and its whole path.
 * The signal mask arrives full (the spawn blocks every signal until execve), so no signal is lost before the
 * loop below waits for them; the payload gets an empty mask.
 */
#define LXI_FREESTANDING 1
#include <linux/prctl.h>
#include <linux/wait.h>

#include "../lxi_exec.h"

#define LXI_SIGHUP 1
#define LXI_SIGINT 2
#define LXI_SIGKILL 9
#define LXI_SIGTERM 15
#define LXI_SIGCHLD 17
#define LXI_SIG_SETMASK 2
#define LXI_F_SETFD 2
#define LXI_FD_CLOEXEC 1
#define LXI_ECANCELED 125

/* gcc may emit calls to these even in freestanding code. */
void *memset(void *dst, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);

void *memset(void *dst, int c, unsigned long n)
{
    volatile unsigned char *d = dst;
    while (n-- > 0) {
        *d++ = (unsigned char)c;
    }
    return dst;
}

void *memcpy(void *dst, const void *src, unsigned long n)
{
    return memmove(dst, src, n);
}

void *memmove(void *dst, const void *src, unsigned long n)
{
    volatile unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n-- > 0) {
            *d++ = *s++;
        }
    } else {
        while (n-- > 0) {
            d[n] = s[n];
        }
    }
    return dst;
}

int memcmp(const void *a, const void *b, unsigned long n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (unsigned long i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

static int parse_int(const char *s)
{
    int sign = 1;
    int v = 0;
    if (*s == '-') {
        sign = -1;
        s++;
    }
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s - '0');
        s++;
    }
    return sign * v;
}

__attribute__((noreturn)) static void die(int code)
{
    for (;;) {
        lxi_sys1(__NR_exit_group, code);
    }
}

__attribute__((noreturn)) static void run_payload(int err_fd, int fail_step, const struct lxi_program *prog, char *const *argv, char *const *envp)
{
    unsigned long empty = 0;
    if (prog->dirfd >= 0) {
        lxi_sys3(__NR_fcntl, prog->dirfd, LXI_F_SETFD, LXI_FD_CLOEXEC);
    }
    if (fail_step == LXI_STEP_EXECVE) {
        lxi_report_and_exit(err_fd, LXI_STEP_EXECVE, LXI_ECANCELED, prog->path);
    }
    lxi_sys4(__NR_rt_sigprocmask, LXI_SIG_SETMASK, &empty, 0, sizeof(empty));
    int rc = lxi_exec_program(prog, argv, envp);
    lxi_report_and_exit(err_fd, LXI_STEP_EXECVE, -rc, prog->path);
}

/* Closes every descriptor: close_range (5.9), else one by one up to the descriptor limit (a seccomp profile
 * older than close_range refuses it, and the init runs under the payload's filter). */
static void close_all(void)
{
    if (lxi_sys3(__NR_close_range, 0, ~0U, 0) == 0) {
        return;
    }
    unsigned long limit[2] = { 1024, 1024 };
    if (lxi_sys4(__NR_prlimit64, 0, 7 /* RLIMIT_NOFILE */, 0, limit) < 0 || limit[0] > 1048576) {
        limit[0] = 65536;
    }
    for (unsigned long fd = 0; fd < limit[0]; fd++) {
        lxi_sys1(__NR_close, (long)fd);
    }
}

__attribute__((used, noreturn)) void lxi_init_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    if (argc < 8) {
        die(127);
    }
    int flags = parse_int(argv[1]);
    int err_fd = parse_int(argv[2]);
    int fail_step = parse_int(argv[3]);
    struct lxi_program prog;
    prog.dirfd = parse_int(argv[4]);
    lxi_str_copy(prog.name, argv[5], sizeof(prog.name));
    lxi_str_copy(prog.path, argv[6], sizeof(prog.path));

    /* Normally the mask is full already; run by hand it may not be, and a SIGCHLD that is not blocked would be
     * discarded (its default action) instead of waiting for the loop below. */
    unsigned long set = (1UL << (LXI_SIGCHLD - 1)) | (1UL << (LXI_SIGTERM - 1)) | (1UL << (LXI_SIGINT - 1)) | (1UL << (LXI_SIGHUP - 1));
    lxi_sys4(__NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &set, 0, sizeof(set));
    lxi_sys5(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
    lxi_sys5(__NR_prctl, PR_SET_NAME, "lxi-init", 0, 0, 0);
    if ((flags & 1) && lxi_sys5(__NR_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
        lxi_report_and_exit(err_fd, LXI_STEP_INIT_FORK, 1 /* EPERM */, 0);
    }
    /* The error pipe came without close-on-exec (it had to survive this program's exec); the payload must not
     * keep it, or the parent would never see end-of-file. */
    lxi_sys3(__NR_fcntl, err_fd, LXI_F_SETFD, LXI_FD_CLOEXEC);
    if (fail_step == LXI_STEP_INIT_FORK) {
        lxi_report_and_exit(err_fd, LXI_STEP_INIT_FORK, LXI_ECANCELED, 0);
    }

    long payload = lxi_sys5(__NR_clone, LXI_SIGCHLD, 0, 0, 0, 0);
    if (payload < 0) {
        lxi_report_and_exit(err_fd, LXI_STEP_INIT_FORK, (int)-payload, 0);
    }
    if (payload == 0) {
        run_payload(err_fd, fail_step, &prog, argv + 7, envp);
    }

    /* The init keeps no descriptor: the error pipe must reach end-of-file when the payload execs, and the
     * payload's stdio must not be held open by us. */
    close_all();

    unsigned char info[128];
    for (;;) {
        long sig = lxi_sys4(__NR_rt_sigtimedwait, &set, info, 0, sizeof(set));
        if (sig < 0) {
            continue;
        }
        if (sig != LXI_SIGCHLD) {
            lxi_sys2(__NR_kill, payload, sig);
            continue;
        }
        for (;;) {
            int status = 0;
            long pid = lxi_sys4(__NR_wait4, -1, &status, WNOHANG | __WALL, 0);
            if (pid <= 0) {
                break;
            }
            if (pid == payload) {
                int code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
                die(code);
            }
        }
    }
}

#if defined(__x86_64__)
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    xor %rbp, %rbp\n"
        "    mov %rsp, %rdi\n"
        "    and $-16, %rsp\n"
        "    call lxi_init_start\n"
        "    hlt\n");
#elif defined(__aarch64__)
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "    mov x29, #0\n"
        "    mov x30, #0\n"
        "    mov x0, sp\n"
        "    bl lxi_init_start\n");
#endif

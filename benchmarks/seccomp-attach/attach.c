/* attach.c: what the kernel charges for a seccomp filter, apart from any runtime.
 *
 *   attach N MODE NAMES [PROGRAM.bpf]       MODE 0: fork + exec /bin/true, 1: fork + exit
 *
 * Forks N times without and N times with the filter (interleaved, after 20 of each as warm-up); the child sets
 * no_new_privs, installs the program and then exits at once (MODE 1: the attach and the release) or runs /bin/true
 * (MODE 0: also every system call of a real start under it). Prints the medians. The program is libseccomp's for
 * an allow-list (NAMES: one system call name per line; default action EPERM; x86_64, x86 and x32, as
 * seccomp_export_bpf writes it), or, given PROGRAM.bpf, that raw sock_filter array (the library's, written by
 * seccomp-dump). gcc -O2 -o attach attach.c -lseccomp */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sock_filter code[8192];
static struct sock_fprog prog = { 0, code };

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static double once(int filter, int mode)
{
    double start = now_us();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        if (filter && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
            _exit(99);
        if (mode == 1)
            _exit(0);
        char *argv[] = { "/bin/true", NULL };
        execv(argv[0], argv);
        _exit(98);
    }
    int status;
    waitpid(pid, &status, 0);
    if (status != 0) {
        fprintf(stderr, "attach: child status %d\n", status);
        exit(1);
    }
    return now_us() - start;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: attach N MODE NAMES [PROGRAM.bpf]\n");
        return 2;
    }
    int n = atoi(argv[1]), mode = atoi(argv[2]);
    if (argc > 4) {
        FILE *f = fopen(argv[4], "rb");
        if (f == NULL) {
            perror(argv[4]);
            return 1;
        }
        prog.len = (unsigned short)(fread(code, 1, sizeof(code), f) / sizeof(code[0]));
        fclose(f);
    } else {
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
        seccomp_arch_add(ctx, SCMP_ARCH_X86);
        seccomp_arch_add(ctx, SCMP_ARCH_X32);
        FILE *names = fopen(argv[3], "r");
        char name[128];
        while (names != NULL && fscanf(names, "%127s", name) == 1) {
            int nr = seccomp_syscall_resolve_name(name);
            if (nr != __NR_SCMP_ERROR)
                seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
        }
        int fds[2];
        if (names == NULL || pipe(fds) != 0 || seccomp_export_bpf(ctx, fds[1]) != 0) {
            fprintf(stderr, "attach: could not build the libseccomp program\n");
            return 1;
        }
        close(fds[1]);
        ssize_t got = read(fds[0], code, sizeof(code));
        prog.len = (unsigned short)(got / (ssize_t)sizeof(code[0]));
        fclose(names);
        seccomp_release(ctx);
    }
    double *without = malloc(sizeof(double) * (size_t)n), *with = malloc(sizeof(double) * (size_t)n);
    for (int i = 0; i < 20; i++) {
        once(0, mode);
        once(1, mode);
    }
    for (int i = 0; i < n; i++) {
        without[i] = once(0, mode);
        with[i] = once(1, mode);
    }
    qsort(without, (size_t)n, sizeof(double), by_value);
    qsort(with, (size_t)n, sizeof(double), by_value);
    printf("%-16s %5u instructions  median without %6.0f us  with %6.0f us  added %5.0f us\n",
           mode ? "fork+exit" : "fork+exec true", prog.len, without[n / 2], with[n / 2], with[n / 2] - without[n / 2]);
    return 0;
}

/* The golden test's profile, built with libseccomp (Debian's libseccomp-dev) and written with
 * seccomp_export_bpf, so SeccompGoldenTests can compare it with what LinuxIsolation.Seccomp compiles.
 *
 *   gcc -O2 -Wall -Werror -o libseccomp-golden libseccomp-golden.c -lseccomp
 *   ./libseccomp-golden OUT.bpf [OPTIMIZE] [i386+x32]
 *
 * OPTIMIZE is libseccomp's SCMP_FLTATR_CTL_OPTIMIZE: 1 (the default, a list of calls by priority) or 2 (a
 * binary tree). With "i386+x32" the filter covers those ABIs too. Keep the profile in step with
 * SeccompGoldenTests.Profile(). */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call) do { int rc_ = (call); if (rc_ < 0) { fprintf(stderr, "%s: %s\n", #call, strerror(-rc_)); return 1; } } while (0)

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUT.bpf [OPTIMIZE] [i386+x32]\n", argv[0]);
        return 2;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    if (ctx == NULL)
        return 1;
    CHECK(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS));
    if (argc > 2)
        CHECK(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)atoi(argv[2])));
    if (argc > 3 && strcmp(argv[3], "i386+x32") == 0) {
        CHECK(seccomp_arch_add(ctx, SCMP_ARCH_X86));
        CHECK(seccomp_arch_add(ctx, SCMP_ARCH_X32));
    }

    /* Unconditional ALLOW and ERRNO rules. */
    const char *allowed[] = { "read", "write", "close", "exit_group", "brk", "mmap", "munmap", "rt_sigreturn", "getpid", "openat" };
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name(allowed[i]), 0));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(mount), 0));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(umount2), 0));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0));

    /* Argument comparisons: Docker's personality values, socket families, clone without namespace flags,
     * ioctl(fd, TIOCSTI) refused, and a 64-bit range on lseek's offset. */
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 0)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 8)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1, SCMP_A0(SCMP_CMP_EQ, 0xffffffff)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_LT, 38)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GT, 40)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7e020000, 0)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, 0x5412)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_NE, 0x5412)));
    CHECK(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(lseek), 2, SCMP_A1(SCMP_CMP_LE, 0x100000000ULL), SCMP_A2(SCMP_CMP_GE, 1)));

    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    CHECK(seccomp_export_bpf(ctx, fd));
    seccomp_release(ctx);
    return 0;
}

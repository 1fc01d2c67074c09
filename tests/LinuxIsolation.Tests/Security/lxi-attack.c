/*
 * lxi-attack: the attacks of ContainerEscapeTests, run inside a container as its payload. Built static by the
 * test (gcc -static) and linked into the test's root file system. Each command prints one line,
 * "COMMAND: ok DETAIL" when the attack got through or "COMMAND: ERRNO-NAME" when the kernel stopped it, and
 * exits 0 either way: the test decides what counts as stopped. Nothing here writes to a device or a kernel file:
 * "openw" only opens for writing and closes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int report(const char *cmd, int rc)
{
    if (rc < 0) {
        printf("%s: %s\n", cmd, strerrorname_np(errno));
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lxi-attack COMMAND ARG...\n");
        return 2;
    }
    const char *cmd = argv[1];
    setvbuf(stdout, NULL, _IONBF, 0);
    if (strcmp(cmd, "readfile") == 0) {
        int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return report(cmd, -1);
        }
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0) {
            return report(cmd, -1);
        }
        buf[n] = '\0';
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\0' || buf[i] == '\n') {
                buf[i] = ' ';
            }
        }
        printf("%s: ok %s\n", cmd, buf);
        return 0;
    }
    if (strcmp(cmd, "openw") == 0) {
        int fd = open(argv[2], O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            return report(cmd, -1);
        }
        close(fd);
        printf("%s: ok opened\n", cmd);
        return 0;
    }
    if (strcmp(cmd, "ptrace") == 0) {
        pid_t pid = (pid_t)atoi(argv[2]);
        if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0) {
            return report(cmd, -1);
        }
        waitpid(pid, NULL, __WALL);
        ptrace(PTRACE_DETACH, pid, NULL, NULL);
        printf("%s: ok attached\n", cmd);
        return 0;
    }
    if (strcmp(cmd, "mknod-read") == 0 && argc == 6) {
        /* mknod-read PATH b|c MAJOR MINOR: make the node, then read its first bytes. */
        mode_t type = argv[3][0] == 'b' ? S_IFBLK : S_IFCHR;
        if (mknod(argv[2], type | 0600, makedev(atoi(argv[4]), atoi(argv[5]))) != 0) {
            printf("mknod: %s\n", strerrorname_np(errno));
            return 0;
        }
        int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            printf("open: %s\n", strerrorname_np(errno));
            return 0;
        }
        char buf[65];
        ssize_t n = read(fd, buf, 64);
        if (n < 0) {
            printf("read: %s\n", strerrorname_np(errno));
            return 0;
        }
        buf[n] = '\0';
        char *nl = strchr(buf, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        printf("read: ok %s\n", buf);
        return 0;
    }
    if (strcmp(cmd, "readkey") == 0) {
        /* readkey DESCRIPTION: search the session keyring for a user key and read it (keyctl search + read). */
        long id = syscall(SYS_keyctl, 10 /* KEYCTL_SEARCH */, -3 /* KEY_SPEC_SESSION_KEYRING */, "user", argv[2], 0);
        if (id < 0) {
            return report(cmd, -1);
        }
        char buf[256];
        long n = syscall(SYS_keyctl, 11 /* KEYCTL_READ */, id, buf, sizeof(buf) - 1);
        if (n < 0) {
            return report(cmd, -1);
        }
        buf[n < (long)sizeof(buf) - 1 ? n : (long)sizeof(buf) - 1] = '\0';
        printf("%s: ok %s\n", cmd, buf);
        return 0;
    }
    if (strcmp(cmd, "readlink") == 0) {
        char buf[4096];
        ssize_t n = readlink(argv[2], buf, sizeof(buf) - 1);
        if (n < 0) {
            return report(cmd, -1);
        }
        buf[n] = '\0';
        printf("%s: ok %s\n", cmd, buf);
        return 0;
    }
    fprintf(stderr, "lxi-attack: unknown command %s\n", cmd);
    return 2;
}

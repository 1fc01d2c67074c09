/* The seccomp tests' probe: makes one raw system call and prints how it ended, so a test sees exactly what the
 * filter (or the kernel) answered.
 *
 *   gcc -static -O2 -Wall -Werror -o lxi-syscall lxi-syscall.c
 *   lxi-syscall NR [ARG...]      ARG: a number (strtoull, base 0: 0x.. works) or s:TEXT (a pointer to TEXT)
 *
 * Prints "ok RET" or "errno N" (N the errno). A call the filter kills never prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 8) {
        fprintf(stderr, "usage: %s NR [ARG...]\n", argv[0]);
        return 2;
    }
    long nr = (long)strtoull(argv[1], NULL, 0);
    unsigned long a[6] = { 0 };
    for (int i = 2; i < argc; i++)
        a[i - 2] = strncmp(argv[i], "s:", 2) == 0 ? (unsigned long)(argv[i] + 2) : strtoull(argv[i], NULL, 0);
    errno = 0;
    long rc = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (rc == -1)
        printf("errno %d\n", errno);
    else
        printf("ok %ld\n", rc);
    return 0;
}

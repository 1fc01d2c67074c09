/*
 * Raw system calls without libc, for the code that both the native library and the freestanding init use
 * (lxi_exec.h). Each returns the kernel's result: a value >= 0, or -errno. Nothing here touches errno or any
 * other libc state, so it is safe in a child of a multithreaded process and in a program with no libc at all.
 * x86-64 and arm64 only (the architectures the package ships).
 */
#ifndef LXI_SYS_H
#define LXI_SYS_H

#include <asm/unistd.h>

#if defined(__x86_64__)
static inline long lxi_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__aarch64__)
static inline long lxi_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    register long x4 __asm__("x4") = e;
    register long x5 __asm__("x5") = f;
    __asm__ volatile("svc 0"
                     : "+r"(x0)
                     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                     : "memory", "cc");
    return x0;
}
#else
#error "lxi_sys.h supports x86-64 and arm64"
#endif

#define lxi_sys0(nr) lxi_sys6((nr), 0, 0, 0, 0, 0, 0)
#define lxi_sys1(nr, a) lxi_sys6((nr), (long)(a), 0, 0, 0, 0, 0)
#define lxi_sys2(nr, a, b) lxi_sys6((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define lxi_sys3(nr, a, b, c) lxi_sys6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define lxi_sys4(nr, a, b, c, d) lxi_sys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define lxi_sys5(nr, a, b, c, d, e) lxi_sys6((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif

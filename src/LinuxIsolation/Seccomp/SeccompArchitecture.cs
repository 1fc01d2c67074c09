namespace LinuxIsolation.Seccomp;

/// <summary>
/// A system call ABI a seccomp filter can name: what the kernel reports in <c>seccomp_data.arch</c>
/// (<c>AUDIT_ARCH_*</c>) and, for x32, the <c>__X32_SYSCALL_BIT</c> in the call number. The OCI names are
/// <c>SCMP_ARCH_X86_64</c>, <c>SCMP_ARCH_X86</c>, <c>SCMP_ARCH_X32</c> and <c>SCMP_ARCH_AARCH64</c>.
/// </summary>
/// <remarks>
/// A 64-bit x86 task reaches three ABIs: x86_64 (<c>syscall</c>), i386 (<c>int 0x80</c>, <c>sysenter</c>; arch
/// <c>AUDIT_ARCH_I386</c>) and x32 (<c>syscall</c> with bit 30 set in the number; arch <c>AUDIT_ARCH_X86_64</c>).
/// A filter that does not list i386 or x32 gives their calls its bad-architecture action, whether or not the
/// kernel was built with them.
/// </remarks>
public enum SeccompArchitecture
{
    /// <summary>x86-64 (<c>AUDIT_ARCH_X86_64</c>, numbers from <c>asm/unistd_64.h</c>); <c>SCMP_ARCH_X86_64</c>.</summary>
    X86_64 = 1,

    /// <summary>
    /// 32-bit x86, also reachable from a 64-bit task (<c>AUDIT_ARCH_I386</c>, <c>asm/unistd_32.h</c>);
    /// <c>SCMP_ARCH_X86</c>. Arguments are 32 bits: comparisons look at the low 32 bits only, as libseccomp's do.
    /// </summary>
    I386 = 2,

    /// <summary>
    /// The x32 ABI (<c>AUDIT_ARCH_X86_64</c> with <c>__X32_SYSCALL_BIT</c> 0x40000000 in the number,
    /// <c>asm/unistd_x32.h</c>); <c>SCMP_ARCH_X32</c>. Comparisons look at the low 32 bits, as libseccomp's do.
    /// </summary>
    X32 = 3,

    /// <summary>64-bit Arm (<c>AUDIT_ARCH_AARCH64</c>, the <c>asm-generic/unistd.h</c> numbering); <c>SCMP_ARCH_AARCH64</c>.</summary>
    Aarch64 = 4,
}

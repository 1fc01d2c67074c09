namespace LinuxIsolation.Seccomp.Native;

/// <summary>
/// The kernel's seccomp, classic BPF and audit constants (<c>linux/seccomp.h</c>, <c>linux/filter.h</c>,
/// <c>linux/bpf_common.h</c>, <c>linux/audit.h</c>), spelled as the kernel spells them.
/// </summary>
internal static class SeccompConstants
{
    // seccomp(2) operations.
    internal const uint SECCOMP_SET_MODE_FILTER = 1;
    internal const uint SECCOMP_GET_ACTION_AVAIL = 2;
    internal const uint SECCOMP_GET_NOTIF_SIZES = 3;

    // seccomp(2) SECCOMP_SET_MODE_FILTER flags.
    internal const uint SECCOMP_FILTER_FLAG_TSYNC = 1u << 0;
    internal const uint SECCOMP_FILTER_FLAG_LOG = 1u << 1;
    internal const uint SECCOMP_FILTER_FLAG_SPEC_ALLOW = 1u << 2;
    internal const uint SECCOMP_FILTER_FLAG_NEW_LISTENER = 1u << 3;
    internal const uint SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 1u << 4;
    internal const uint SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 1u << 5;

    // Return values of a filter: the action in the upper 16 bits, its data in the lower 16.
    internal const uint SECCOMP_RET_KILL_PROCESS = 0x80000000;
    internal const uint SECCOMP_RET_KILL_THREAD = 0x00000000;
    internal const uint SECCOMP_RET_TRAP = 0x00030000;
    internal const uint SECCOMP_RET_ERRNO = 0x00050000;
    internal const uint SECCOMP_RET_USER_NOTIF = 0x7fc00000;
    internal const uint SECCOMP_RET_TRACE = 0x7ff00000;
    internal const uint SECCOMP_RET_LOG = 0x7ffc0000;
    internal const uint SECCOMP_RET_ALLOW = 0x7fff0000;
    internal const uint SECCOMP_RET_ACTION_FULL = 0xffff0000;
    internal const uint SECCOMP_RET_DATA = 0x0000ffff;

    /// <summary>The largest errno a filter can make a call fail with (MAX_ERRNO in <c>linux/err.h</c>).</summary>
    internal const int MAX_ERRNO = 4095;

    // struct seccomp_notif_resp flags (Linux 5.5) and struct seccomp_notif_addfd flags (5.9, SEND 5.14).
    internal const uint SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1u << 0;
    internal const uint SECCOMP_ADDFD_FLAG_SETFD = 1u << 0;
    internal const uint SECCOMP_ADDFD_FLAG_SEND = 1u << 1;

    // ioctls on a listener: _IOWR('!', 0, struct seccomp_notif) and so on (sizes 80, 24, 8 and 24 bytes).
    internal const uint SECCOMP_IOCTL_NOTIF_RECV = 0xc0502100;
    internal const uint SECCOMP_IOCTL_NOTIF_SEND = 0xc0182101;
    internal const uint SECCOMP_IOCTL_NOTIF_ID_VALID = 0x40082102;
    internal const uint SECCOMP_IOCTL_NOTIF_ADDFD = 0x40182103;

    // struct seccomp_data offsets: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
    internal const uint SECCOMP_DATA_NR = 0;
    internal const uint SECCOMP_DATA_ARCH = 4;
    internal const uint SECCOMP_DATA_IP = 8;
    internal const uint SECCOMP_DATA_ARGS = 16;
    internal const int SECCOMP_DATA_SIZE = 64;

    // AUDIT_ARCH_* (linux/audit.h): the ELF machine | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
    internal const uint AUDIT_ARCH_X86_64 = 0xc000003e;
    internal const uint AUDIT_ARCH_I386 = 0x40000003;
    internal const uint AUDIT_ARCH_AARCH64 = 0xc00000b7;

    /// <summary>x32 system calls run as AUDIT_ARCH_X86_64 with this bit set in the number (asm/unistd.h).</summary>
    internal const uint __X32_SYSCALL_BIT = 0x40000000;

    /// <summary>The most instructions one classic BPF program may have (linux/bpf_common.h).</summary>
    internal const int BPF_MAXINSNS = 4096;

    // Classic BPF instruction classes, sizes, modes, operations and sources (linux/bpf_common.h).
    internal const ushort BPF_LD = 0x00;
    internal const ushort BPF_LDX = 0x01;
    internal const ushort BPF_ST = 0x02;
    internal const ushort BPF_STX = 0x03;
    internal const ushort BPF_ALU = 0x04;
    internal const ushort BPF_JMP = 0x05;
    internal const ushort BPF_RET = 0x06;
    internal const ushort BPF_MISC = 0x07;
    internal const ushort BPF_W = 0x00;
    internal const ushort BPF_H = 0x08;
    internal const ushort BPF_B = 0x10;
    internal const ushort BPF_IMM = 0x00;
    internal const ushort BPF_ABS = 0x20;
    internal const ushort BPF_IND = 0x40;
    internal const ushort BPF_MEM = 0x60;
    internal const ushort BPF_LEN = 0x80;
    internal const ushort BPF_MSH = 0xa0;
    internal const ushort BPF_ADD = 0x00;
    internal const ushort BPF_SUB = 0x10;
    internal const ushort BPF_MUL = 0x20;
    internal const ushort BPF_DIV = 0x30;
    internal const ushort BPF_OR = 0x40;
    internal const ushort BPF_AND = 0x50;
    internal const ushort BPF_LSH = 0x60;
    internal const ushort BPF_RSH = 0x70;
    internal const ushort BPF_NEG = 0x80;
    internal const ushort BPF_MOD = 0x90;
    internal const ushort BPF_XOR = 0xa0;
    internal const ushort BPF_JA = 0x00;
    internal const ushort BPF_JEQ = 0x10;
    internal const ushort BPF_JGT = 0x20;
    internal const ushort BPF_JGE = 0x30;
    internal const ushort BPF_JSET = 0x40;
    internal const ushort BPF_K = 0x00;
    internal const ushort BPF_X = 0x08;
    internal const ushort BPF_A = 0x10;
    internal const ushort BPF_TAX = 0x00;
    internal const ushort BPF_TXA = 0x80;
}

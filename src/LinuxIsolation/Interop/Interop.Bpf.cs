using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    // bpf(2) commands and constants of <linux/bpf.h>.
    internal const int BPF_PROG_LOAD = 5;
    internal const int BPF_PROG_ATTACH = 8;
    internal const int BPF_PROG_DETACH = 9;
    internal const int BPF_PROG_GET_FD_BY_ID = 13;
    internal const int BPF_PROG_QUERY = 16;
    internal const uint BPF_PROG_TYPE_CGROUP_DEVICE = 15;
    internal const uint BPF_CGROUP_DEVICE = 6;
    internal const uint BPF_F_ALLOW_MULTI = 2;

    internal static long SYS_bpf => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => throw new PlatformNotSupportedException($"bpf: unknown system call number on {RuntimeInformation.ProcessArchitecture}."),
    };

    /*
     * union bpf_attr, the members used here (all offsets from the start; the rest stays zero):
     *   BPF_PROG_LOAD:  __u32 prog_type @0; __u32 insn_cnt @4; __aligned_u64 insns @8; __aligned_u64 license @16;
     *                   __u32 log_level @24; __u32 log_size @28; __aligned_u64 log_buf @32; __u32 kern_version @40;
     *                   __u32 prog_flags @44; char prog_name[16] @48; __u32 prog_ifindex @64;
     *                   __u32 expected_attach_type @68;
     *   BPF_PROG_ATTACH / DETACH: __u32 target_fd @0; __u32 attach_bpf_fd @4; __u32 attach_type @8; __u32 attach_flags @12;
     *   BPF_PROG_QUERY: __u32 target_fd @0; __u32 attach_type @4; __u32 query_flags @8; __u32 attach_flags @12;
     *                   __aligned_u64 prog_ids @16; __u32 prog_cnt @24;
     *   BPF_PROG_GET_FD_BY_ID: __u32 prog_id @0; __u32 next_id @4; __u32 open_flags @8;
     */
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    internal struct bpf_attr
    {
        public fixed byte bytes[128];
    }

    /// <summary>bpf(cmd, attr, sizeof(attr)); the result, or -1 with errno.</summary>
    internal static int bpf(int cmd, bpf_attr* attr) => (int)syscall(SYS_bpf, cmd, (nint)attr, sizeof(bpf_attr), 0, 0);
}

using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace LinuxIsolation.Cgroups.Devices;

/// <summary>
/// Compiles a device allow-list to an eBPF program of type <c>BPF_PROG_TYPE_CGROUP_DEVICE</c> (Linux 4.15), the
/// cgroup v2 device controller (what crun and runc generate from the same OCI rules).
/// </summary>
/// <remarks>
/// The kernel runs the program for every device access of a task in the cgroup with
/// <c>struct bpf_cgroup_dev_ctx { __u32 access_type; __u32 major; __u32 minor; }</c> in r1, where the low 16 bits of
/// access_type are the device type (<c>BPF_DEVCG_DEV_BLOCK</c> 1, <c>BPF_DEVCG_DEV_CHAR</c> 2) and the high 16 the
/// access (<c>BPF_DEVCG_ACC_MKNOD</c> 1, <c>READ</c> 2, <c>WRITE</c> 4); returning 1 allows it, 0 refuses it (EPERM).
/// The program loads the four values into r2..r5, then tests the rules from the last to the first (the last rule
/// that matches decides): an allow rule matches when it covers every access asked for, a deny rule when it covers
/// any of them. No match: refused.
/// </remarks>
internal static class DeviceFilterProgram
{
    private const byte LdxMemW = 0x61;   // BPF_LDX | BPF_MEM | BPF_W
    private const byte And64K = 0x57;    // BPF_ALU64 | BPF_AND | BPF_K
    private const byte Rsh64K = 0x77;    // BPF_ALU64 | BPF_RSH | BPF_K
    private const byte Mov64X = 0xbf;    // BPF_ALU64 | BPF_MOV | BPF_X
    private const byte Mov64K = 0xb7;    // BPF_ALU64 | BPF_MOV | BPF_K
    private const byte JneK = 0x55;      // BPF_JMP | BPF_JNE | BPF_K
    private const byte JneX = 0x5d;      // BPF_JMP | BPF_JNE | BPF_X
    private const byte JeqK = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    private const byte Exit = 0x95;      // BPF_JMP | BPF_EXIT

    /// <summary>The program as <c>struct bpf_insn</c> array bytes (8 bytes each).</summary>
    public static byte[] Compile(IReadOnlyList<DeviceRule> rules)
    {
        var code = new List<Insn>
        {
            new(LdxMemW, 2, 1, 0, 0),      // r2 = ctx->access_type
            new(And64K, 2, 0, 0, 0xffff),  // r2 &= 0xffff: the type
            new(LdxMemW, 3, 1, 0, 0),      // r3 = ctx->access_type
            new(Rsh64K, 3, 0, 0, 16),      // r3 >>= 16: the access
            new(LdxMemW, 4, 1, 4, 0),      // r4 = ctx->major
            new(LdxMemW, 5, 1, 8, 0),      // r5 = ctx->minor
        };
        var block = new List<Insn>();
        for (int i = rules.Count - 1; i >= 0; i--)
        {
            DeviceRule rule = rules[i];
            block.Clear();
            if (rule.Type != DeviceType.All)
            {
                block.Add(new(JneK, 2, 0, 0, rule.Type == DeviceType.Block ? 1 : 2, SkipToNext: true));
            }

            if (rule.Access != DeviceAccess.All)
            {
                block.Add(new(Mov64X, 1, 3, 0, 0));               // r1 = the access asked for
                block.Add(new(And64K, 1, 0, 0, (int)rule.Access)); // r1 &= the rule's access
                block.Add(rule.Allow
                    ? new(JneX, 1, 3, 0, 0, SkipToNext: true)      // allow: all of it is covered
                    : new(JeqK, 1, 0, 0, 0, SkipToNext: true));    // deny: some of it is covered
            }

            if (rule.Major is { } major)
            {
                block.Add(new(JneK, 4, 0, 0, (int)major, SkipToNext: true));
            }

            if (rule.Minor is { } minor)
            {
                block.Add(new(JneK, 5, 0, 0, (int)minor, SkipToNext: true));
            }

            block.Add(new(Mov64K, 0, 0, 0, rule.Allow ? 1 : 0));
            block.Add(new(Exit, 0, 0, 0, 0));
            for (int k = 0; k < block.Count; k++)
            {
                Insn b = block[k];
                code.Add(b.SkipToNext ? b with { Off = (short)(block.Count - k - 1) } : b);
            }
        }

        code.Add(new(Mov64K, 0, 0, 0, 0)); // no rule matched: refused
        code.Add(new(Exit, 0, 0, 0, 0));

        byte[] bytes = new byte[code.Count * 8];
        for (int i = 0; i < code.Count; i++)
        {
            Span<byte> insn = bytes.AsSpan(i * 8, 8);
            insn[0] = code[i].Op;
            insn[1] = (byte)(code[i].Dst | (code[i].Src << 4)); // dst_reg:4 low, src_reg:4 high
            BinaryPrimitives.WriteInt16LittleEndian(insn[2..], code[i].Off);
            BinaryPrimitives.WriteInt32LittleEndian(insn[4..], code[i].Imm);
        }

        return bytes;
    }

    /// <summary>One <c>struct bpf_insn</c>; <paramref name="SkipToNext"/> jumps get their offset to the next rule's block.</summary>
    private readonly record struct Insn(byte Op, byte Dst, byte Src, short Off, int Imm, bool SkipToNext = false);
}

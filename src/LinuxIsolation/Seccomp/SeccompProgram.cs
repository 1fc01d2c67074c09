using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// A compiled seccomp filter: the classic BPF program (<c>struct sock_filter[]</c>) and the flags that
/// <c>seccomp(SECCOMP_SET_MODE_FILTER, Flags, &amp;(struct sock_fprog){ InstructionCount, Instructions })</c>
/// installs it with. Immutable; reading it does not allocate.
/// </summary>
public sealed class SeccompProgram
{
    private readonly byte[] _instructions;

    internal SeccompProgram(byte[] instructions, uint flags, IReadOnlyList<SeccompArchitecture> architectures)
    {
        _instructions = instructions;
        Flags = flags;
        Architectures = architectures;
    }

    /// <summary>
    /// The program as the kernel takes it: <see cref="InstructionCount"/> <c>struct sock_filter</c> of 8 bytes each
    /// (<c>__u16 code; __u8 jt; __u8 jf; __u32 k</c>) in the host's byte order.
    /// </summary>
    public ReadOnlySpan<byte> Instructions => _instructions;

    /// <summary>The instructions' own array (never handed out; the spawn copies it).</summary>
    internal byte[] InstructionArray => _instructions;

    /// <summary>The number of instructions, 1 to 4096 (BPF_MAXINSNS): <c>sock_fprog.len</c>.</summary>
    public int InstructionCount => _instructions.Length / 8;

    /// <summary>
    /// The <c>SECCOMP_FILTER_FLAG_*</c> bits for seccomp(2) (<see cref="SeccompFilterFlags"/>), with
    /// <c>SECCOMP_FILTER_FLAG_NEW_LISTENER</c> (8) set when <see cref="NeedsListener"/>.
    /// </summary>
    public uint Flags { get; }

    /// <summary>
    /// Whether the filter notifies (<see cref="SeccompActionKind.UserNotify"/>): seccomp(2) then returns a listener
    /// descriptor, and a <c>SeccompNotificationListener</c> must answer on it or the notified calls block.
    /// </summary>
    public bool NeedsListener => (Flags & SeccompConstants.SECCOMP_FILTER_FLAG_NEW_LISTENER) != 0;

    /// <summary>The architectures the program covers, the running one first.</summary>
    public IReadOnlyList<SeccompArchitecture> Architectures { get; }

    /// <summary>The program as text, in the format of libseccomp's <c>scmp_bpf_disasm</c>.</summary>
    public string Disassemble() => Disassemble(_instructions);

    /// <summary>
    /// Any classic BPF program (for example one <c>seccomp_export_bpf</c> wrote) as text in the format of libseccomp's
    /// <c>scmp_bpf_disasm</c>: one line per instruction with its raw fields, the operation and its operands, jump
    /// targets as line numbers and returns as actions. <c>SECCOMP_RET_USER_NOTIF</c> prints as <c>USER_NOTIF</c>
    /// (libseccomp 2.5 prints its hexadecimal value).
    /// </summary>
    /// <param name="instructions">A whole number of 8-byte instructions in the host's byte order.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 8.</exception>
    public static string Disassemble(ReadOnlySpan<byte> instructions)
    {
        if (instructions.Length % 8 != 0)
        {
            throw new ArgumentException($"A classic BPF program is a whole number of 8-byte instructions, not {instructions.Length} bytes.", nameof(instructions));
        }

        var sb = new StringBuilder(64 * (instructions.Length / 8 + 2));
        sb.Append(" line  OP   JT   JF   K\n");
        sb.Append("=================================\n");
        for (int line = 0; line < instructions.Length / 8; line++)
        {
            ReadOnlySpan<byte> raw = instructions.Slice(line * 8, 8);
            ushort code = BinaryPrimitives.ReadUInt16LittleEndian(raw);
            byte jt = raw[2], jf = raw[3];
            uint k = BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]);
            if (!BitConverter.IsLittleEndian)
            {
                code = BinaryPrimitives.ReverseEndianness(code);
                k = BinaryPrimitives.ReverseEndianness(k);
            }

            sb.Append(CultureInfo.InvariantCulture, $" {line:D4}: 0x{code:x2} 0x{jt:x2} 0x{jf:x2} 0x{k:x8}   ");
            sb.Append(OperationName(code).PadRight(3)).Append(' ');
            AppendOperands(sb, line, code, jt, jf, k);
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The instructions and flags in a short form, e.g. <c>seccomp program: 142 instructions, flags 0x0</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"seccomp program: {InstructionCount} instructions, flags 0x{Flags:x}");

    private static string OperationName(ushort code)
    {
        int cls = code & 0x07;
        switch (cls)
        {
            case SeccompConstants.BPF_LD:
                return (code & 0x18) switch { SeccompConstants.BPF_W => "ld", SeccompConstants.BPF_H => "ldh", SeccompConstants.BPF_B => "ldb", _ => "???" };
            case SeccompConstants.BPF_LDX:
                return "ldx";
            case SeccompConstants.BPF_ST:
                return "st";
            case SeccompConstants.BPF_STX:
                return "stx";
            case SeccompConstants.BPF_ALU:
                return (code & 0xf0) switch
                {
                    SeccompConstants.BPF_ADD => "add",
                    SeccompConstants.BPF_SUB => "sub",
                    SeccompConstants.BPF_MUL => "mul",
                    SeccompConstants.BPF_DIV => "div",
                    SeccompConstants.BPF_OR => "or",
                    SeccompConstants.BPF_AND => "and",
                    SeccompConstants.BPF_LSH => "lsh",
                    SeccompConstants.BPF_RSH => "rsh",
                    SeccompConstants.BPF_NEG => "neg",
                    SeccompConstants.BPF_MOD => "mod",
                    SeccompConstants.BPF_XOR => "xor",
                    _ => "???",
                };
            case SeccompConstants.BPF_JMP:
                return (code & 0xf0) switch
                {
                    SeccompConstants.BPF_JA => "jmp",
                    SeccompConstants.BPF_JEQ => "jeq",
                    SeccompConstants.BPF_JGT => "jgt",
                    SeccompConstants.BPF_JGE => "jge",
                    SeccompConstants.BPF_JSET => "jset",
                    _ => "???",
                };
            case SeccompConstants.BPF_RET:
                return "ret";
            default:
                return (code & 0xf8) switch { SeccompConstants.BPF_TAX => "tax", SeccompConstants.BPF_TXA => "txa", _ => "???" };
        }
    }

    private static void AppendOperands(StringBuilder sb, int line, ushort code, byte jt, byte jf, uint k)
    {
        switch (code & 0x07)
        {
            case SeccompConstants.BPF_LD:
            case SeccompConstants.BPF_LDX:
                switch (code & 0xe0)
                {
                    case SeccompConstants.BPF_ABS: sb.Append(CultureInfo.InvariantCulture, $"$data[{k}]"); break;
                    case SeccompConstants.BPF_MEM: sb.Append(CultureInfo.InvariantCulture, $"$temp[{k}]"); break;
                    case SeccompConstants.BPF_IMM: sb.Append(k.ToString(CultureInfo.InvariantCulture)); break;
                    case SeccompConstants.BPF_IND: sb.Append(CultureInfo.InvariantCulture, $"$data[X + {k}]"); break;
                    case SeccompConstants.BPF_LEN: sb.Append("len($data)"); break;
                    case SeccompConstants.BPF_MSH: sb.Append(CultureInfo.InvariantCulture, $"4 * $data[{k}] & 0x0f"); break;
                }

                break;
            case SeccompConstants.BPF_ST:
            case SeccompConstants.BPF_STX:
                sb.Append(CultureInfo.InvariantCulture, $"$temp[{k}]");
                break;
            case SeccompConstants.BPF_ALU:
                int op = code & 0xf0;
                if ((code & 0x08) == SeccompConstants.BPF_K && (op == SeccompConstants.BPF_OR || op == SeccompConstants.BPF_AND))
                {
                    sb.Append(CultureInfo.InvariantCulture, $"0x{k:x8}");
                }
                else
                {
                    sb.Append(k.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case SeccompConstants.BPF_JMP:
                if ((code & 0xf0) == SeccompConstants.BPF_JA)
                {
                    sb.Append(((long)line + 1 + k).ToString("D4", CultureInfo.InvariantCulture));
                }
                else
                {
                    sb.Append(k.ToString(CultureInfo.InvariantCulture).PadRight(4));
                    sb.Append(CultureInfo.InvariantCulture, $" true:{line + 1 + jt:D4} false:{line + 1 + jf:D4}");
                }

                break;
            case SeccompConstants.BPF_RET:
                if ((code & 0x18) == SeccompConstants.BPF_A)
                {
                    sb.Append("$acc");
                }
                else if ((code & 0x18) == SeccompConstants.BPF_K)
                {
                    sb.Append(SeccompAction.TryFromKernel(k, out SeccompAction action) ? action.ToString() : string.Create(CultureInfo.InvariantCulture, $"0x{k:x8}"));
                }
                else
                {
                    sb.Append("???");
                }

                break;
            case SeccompConstants.BPF_MISC:
                break;
        }
    }

    internal static IReadOnlyList<SeccompArchitecture> ReadOnly(List<SeccompArchitecture> list) => new ReadOnlyCollection<SeccompArchitecture>(list);
}

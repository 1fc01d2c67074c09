using System;
using System.Buffers.Binary;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>The input of a seccomp filter: <c>struct seccomp_data</c>.</summary>
internal readonly struct SeccompData
{
    public SeccompData(int nr, uint arch, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0, ulong ip = 0)
    {
        Nr = nr;
        Arch = arch;
        InstructionPointer = ip;
        A0 = a0; A1 = a1; A2 = a2; A3 = a3; A4 = a4; A5 = a5;
    }

    public int Nr { get; }
    public uint Arch { get; }
    public ulong InstructionPointer { get; }
    public ulong A0 { get; }
    public ulong A1 { get; }
    public ulong A2 { get; }
    public ulong A3 { get; }
    public ulong A4 { get; }
    public ulong A5 { get; }

    /// <summary>The 64 bytes the kernel gives a filter, little-endian as on x86_64 and aarch64.</summary>
    public void WriteTo(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Nr);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], Arch);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], InstructionPointer);
        ulong[] args = [A0, A1, A2, A3, A4, A5];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer[(16 + (8 * i))..], args[i]);
        }
    }

    public override string ToString() => $"nr={Nr} arch=0x{Arch:x8} args=[0x{A0:x}, 0x{A1:x}, 0x{A2:x}, 0x{A3:x}, 0x{A4:x}, 0x{A5:x}]";
}

/// <summary>
/// A classic BPF interpreter for seccomp programs, written for the tests from the kernel's rules
/// (net/core/filter.c bpf_check_classic and kernel/seccomp.c seccomp_check_filter): <see cref="Check"/> refuses what
/// the kernel's loader refuses, <see cref="Run"/> runs the program on one <see cref="SeccompData"/> as the kernel's
/// classic BPF semantics say (32-bit unsigned A and X, 16 scratch words, forward jumps only, loads of aligned words of
/// seccomp_data only). It shares no code with the compiler it checks.
/// </summary>
internal static class BpfInterpreter
{
    private const int MaxInstructions = 4096;

    /// <summary>Throws <see cref="InvalidOperationException"/> for a program the kernel would refuse with EINVAL.</summary>
    public static void Check(ReadOnlySpan<byte> program)
    {
        if (program.Length % 8 != 0 || program.Length == 0 || program.Length / 8 > MaxInstructions)
        {
            throw new InvalidOperationException($"A program of {program.Length} bytes is not 1 to {MaxInstructions} instructions.");
        }

        int count = program.Length / 8;
        for (int pc = 0; pc < count; pc++)
        {
            (ushort code, byte jt, byte jf, uint k) = Decode(program, pc);
            switch (code)
            {
                case 0x20: // ld [k]: seccomp_check_filter allows aligned 32-bit loads inside struct seccomp_data only
                    if (k >= 64 || (k & 3) != 0)
                    {
                        throw new InvalidOperationException($"{pc}: ld [{k}] is outside seccomp_data or unaligned.");
                    }

                    break;
                case 0x80: // ld len
                case 0x81: // ldx len
                case 0x00: // ld #k
                case 0x01: // ldx #k
                case 0x87: // txa
                case 0x07: // tax
                case 0x84: // neg
                    break;
                case 0x60: // ld M[k]
                case 0x61: // ldx M[k]
                case 0x02: // st M[k]
                case 0x03: // stx M[k]
                    if (k >= 16)
                    {
                        throw new InvalidOperationException($"{pc}: scratch word {k} is not 0 to 15.");
                    }

                    break;
                case 0x04: case 0x0c: case 0x14: case 0x1c: case 0x24: case 0x2c: case 0x34: case 0x3c: // add sub mul div (k, x)
                case 0x44: case 0x4c: case 0x54: case 0x5c: case 0x64: case 0x6c: case 0x74: case 0x7c: // or and lsh rsh
                case 0x94: case 0x9c: case 0xa4: case 0xac: // mod xor
                    if ((code == 0x34 || code == 0x94) && k == 0)
                    {
                        throw new InvalidOperationException($"{pc}: division by the constant 0.");
                    }

                    if ((code == 0x64 || code == 0x74) && k >= 32)
                    {
                        throw new InvalidOperationException($"{pc}: shift by {k}.");
                    }

                    break;
                case 0x05: // ja
                    if ((long)pc + 1 + k >= count)
                    {
                        throw new InvalidOperationException($"{pc}: ja +{k} leaves the program.");
                    }

                    break;
                case 0x15: case 0x1d: case 0x25: case 0x2d: case 0x35: case 0x3d: case 0x45: case 0x4d: // jeq jgt jge jset (k, x)
                    if (pc + 1 + jt >= count || pc + 1 + jf >= count)
                    {
                        throw new InvalidOperationException($"{pc}: a jump leaves the program.");
                    }

                    break;
                case 0x06: // ret #k
                case 0x16: // ret a
                    break;
                default:
                    throw new InvalidOperationException($"{pc}: opcode 0x{code:x2} is not allowed in a seccomp filter.");
            }
        }

        (ushort last, _, _, _) = Decode(program, count - 1);
        if (last != 0x06 && last != 0x16)
        {
            throw new InvalidOperationException("The last instruction is not a return.");
        }
    }

    /// <summary>The value the program returns for <paramref name="data"/>.</summary>
    public static uint Run(ReadOnlySpan<byte> program, in SeccompData data) => Run(program, data, out _);

    /// <summary>The value the program returns for <paramref name="data"/>, and how many instructions ran.</summary>
    public static uint Run(ReadOnlySpan<byte> program, in SeccompData data, out int executed)
    {
        Span<byte> input = stackalloc byte[64];
        data.WriteTo(input);
        Span<uint> memory = stackalloc uint[16];
        uint a = 0, x = 0;
        int count = program.Length / 8;
        executed = 0;
        for (int pc = 0; pc < count; pc++)
        {
            executed++;
            (ushort code, byte jt, byte jf, uint k) = Decode(program, pc);
            switch (code)
            {
                case 0x20: a = BinaryPrimitives.ReadUInt32LittleEndian(input[(int)k..]); break;
                case 0x80: a = 64; break;
                case 0x81: x = 64; break;
                case 0x00: a = k; break;
                case 0x01: x = k; break;
                case 0x60: a = memory[(int)k]; break;
                case 0x61: x = memory[(int)k]; break;
                case 0x02: memory[(int)k] = a; break;
                case 0x03: memory[(int)k] = x; break;
                case 0x07: x = a; break;
                case 0x87: a = x; break;
                case 0x84: a = (uint)-(int)a; break;
                case 0x04: a += k; break;
                case 0x0c: a += x; break;
                case 0x14: a -= k; break;
                case 0x1c: a -= x; break;
                case 0x24: a *= k; break;
                case 0x2c: a *= x; break;
                case 0x34: a /= k; break;
                case 0x3c: if (x == 0) { return 0; } a /= x; break;
                case 0x44: a |= k; break;
                case 0x4c: a |= x; break;
                case 0x54: a &= k; break;
                case 0x5c: a &= x; break;
                case 0x64: a <<= (int)k; break;
                case 0x6c: a = x >= 32 ? 0 : a << (int)x; break;
                case 0x74: a >>= (int)k; break;
                case 0x7c: a = x >= 32 ? 0 : a >> (int)x; break;
                case 0x94: a %= k; break;
                case 0x9c: if (x == 0) { return 0; } a %= x; break;
                case 0xa4: a ^= k; break;
                case 0xac: a ^= x; break;
                case 0x05: pc += (int)k; break;
                case 0x15: pc += a == k ? jt : jf; break;
                case 0x1d: pc += a == x ? jt : jf; break;
                case 0x25: pc += a > k ? jt : jf; break;
                case 0x2d: pc += a > x ? jt : jf; break;
                case 0x35: pc += a >= k ? jt : jf; break;
                case 0x3d: pc += a >= x ? jt : jf; break;
                case 0x45: pc += (a & k) != 0 ? jt : jf; break;
                case 0x4d: pc += (a & x) != 0 ? jt : jf; break;
                case 0x06: return k;
                case 0x16: return a;
                default: throw new InvalidOperationException($"{pc}: opcode 0x{code:x2}.");
            }
        }

        throw new InvalidOperationException("The program ran off its end.");
    }

    private static (ushort Code, byte Jt, byte Jf, uint K) Decode(ReadOnlySpan<byte> program, int pc)
    {
        ReadOnlySpan<byte> i = program.Slice(pc * 8, 8);
        return (BinaryPrimitives.ReadUInt16LittleEndian(i), i[2], i[3], BinaryPrimitives.ReadUInt32LittleEndian(i[4..]));
    }
}

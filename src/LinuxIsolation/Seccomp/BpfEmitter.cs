using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// Writes a classic BPF program backwards, from its last instruction to its first. Every jump of classic BPF goes
/// forward, so each target is already written when a jump to it is: offsets are exact when written and need no
/// fix-up. A conditional jump reaches at most 255 instructions; a farther target gets an unconditional
/// <c>BPF_JA</c> (32-bit offset) placed right after the jump, which the jump then reaches.
/// </summary>
/// <remarks>
/// A label is the position of an instruction counted from the end (0 is the last instruction). An instruction
/// written now gets label <see cref="Count"/>, and a jump from label L to label T has offset L - 1 - T.
/// Only jumps and returns may be preceded by the trampolines and returns that <see cref="Jump"/> and
/// <see cref="Return"/> write; a load or an ALU instruction falls through into the instruction written just before it.
/// </remarks>
internal sealed class BpfEmitter
{
    // Returns reused while a jump to them stays short, with room for the trampolines one jump may add.
    private const int ReturnReuseDistance = 240;

    private readonly List<sock_filter> _reversed = new(512);
    private readonly Dictionary<uint, int> _returns = new();

    internal int Count => _reversed.Count;

    /// <summary>The label of the instruction written last, which the next instruction written falls through to.</summary>
    internal int Next => _reversed.Count - 1;

    internal int Load(uint offset) => Add(new sock_filter(SeccompConstants.BPF_LD | SeccompConstants.BPF_W | SeccompConstants.BPF_ABS, 0, 0, offset));

    internal int And(uint mask) => Add(new sock_filter(SeccompConstants.BPF_ALU | SeccompConstants.BPF_AND | SeccompConstants.BPF_K, 0, 0, mask));

    /// <summary>A <c>ret</c> of <paramref name="value"/>: one written recently is reused.</summary>
    internal int Return(uint value)
    {
        if (_returns.TryGetValue(value, out int label) && Count - label <= ReturnReuseDistance)
        {
            return label;
        }

        label = Add(new sock_filter(SeccompConstants.BPF_RET | SeccompConstants.BPF_K, 0, 0, value));
        _returns[value] = label;
        return label;
    }

    /// <summary>A conditional jump (<c>BPF_JMP | op | BPF_K</c>) to <paramref name="whenTrue"/> or <paramref name="whenFalse"/>.</summary>
    internal int Jump(ushort op, uint k, int whenTrue, int whenFalse)
    {
        if (whenTrue == whenFalse)
        {
            // Both ways lead to the same place: no test is needed.
            return whenTrue == Next ? whenTrue : Always(whenTrue);
        }

        while (true)
        {
            if (Count - 1 - whenFalse > 255)
            {
                whenFalse = Always(whenFalse);
                continue;
            }

            if (Count - 1 - whenTrue > 255)
            {
                whenTrue = Always(whenTrue);
                continue;
            }

            break;
        }

        return Add(new sock_filter((ushort)(SeccompConstants.BPF_JMP | op | SeccompConstants.BPF_K), (byte)(Count - 1 - whenTrue), (byte)(Count - 1 - whenFalse), k));
    }

    /// <summary>An unconditional <c>BPF_JA</c> to <paramref name="target"/>.</summary>
    internal int Always(int target) => Add(new sock_filter(SeccompConstants.BPF_JMP | SeccompConstants.BPF_JA, 0, 0, (uint)(Count - 1 - target)));

    /// <summary>The program in execution order, as the bytes of <c>struct sock_filter[]</c>.</summary>
    internal byte[] ToArray()
    {
        var program = new sock_filter[_reversed.Count];
        for (int i = 0; i < program.Length; i++)
        {
            program[i] = _reversed[_reversed.Count - 1 - i];
        }

        return MemoryMarshal.AsBytes(program.AsSpan()).ToArray();
    }

    private int Add(sock_filter instruction)
    {
        _reversed.Add(instruction);
        return _reversed.Count - 1;
    }
}

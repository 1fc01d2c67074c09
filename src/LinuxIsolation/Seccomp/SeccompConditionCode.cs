using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// The instructions of one argument comparison. Classic BPF compares 32-bit words, so a 64-bit argument is
/// compared as two halves (little-endian: the low half at <c>args[i]</c>, the high half 4 bytes after it):
/// <list type="bullet">
/// <item>== / != : high halves equal, then low halves equal;</item>
/// <item>&gt;, &gt;= (and their negations &lt;=, &lt;): high half greater decides at once, high halves equal go on
/// to the low half, anything else decides the other way;</item>
/// <item>masked ==: each half ANDed with its half of the mask and compared, <c>jset</c> when the value is 0, nothing
/// for a half whose mask is 0.</item>
/// </list>
/// On the 32-bit ABIs only the low half is compared, with the value truncated, as libseccomp does.
/// </summary>
internal static class SeccompConditionCode
{
    private static uint LowOffset(int index) => SeccompConstants.SECCOMP_DATA_ARGS + (8 * (uint)index);

    private static uint HighOffset(int index) => LowOffset(index) + 4;

    /// <summary>Whether the comparison holds for every argument (it then needs no code).</summary>
    internal static bool AlwaysHolds(SeccompCondition condition, bool is32Bit)
    {
        ulong max = is32Bit ? uint.MaxValue : ulong.MaxValue;
        ulong value = condition.Value & max;
        return condition.Operator switch
        {
            SeccompOperator.GreaterOrEqual => value == 0,
            SeccompOperator.LessOrEqual => value == max,
            SeccompOperator.MaskedEqual => value == 0,
            _ => false,
        };
    }

    /// <summary>Whether the comparison holds for no argument.</summary>
    private static bool NeverHolds(SeccompCondition condition, bool is32Bit)
    {
        ulong max = is32Bit ? uint.MaxValue : ulong.MaxValue;
        ulong value = condition.Value & max;
        return condition.Operator switch
        {
            SeccompOperator.LessThan => value == 0,
            SeccompOperator.GreaterThan => value == max,
            _ => false,
        };
    }

    /// <summary>Writes the comparison (backwards); returns the label it starts at.</summary>
    /// <param name="emitter">The program.</param>
    /// <param name="condition">The comparison.</param>
    /// <param name="is32Bit">Compare the low halves only.</param>
    /// <param name="match">Where to go when it holds.</param>
    /// <param name="fail">Where to go when it does not.</param>
    internal static int Emit(BpfEmitter emitter, SeccompCondition condition, bool is32Bit, int match, int fail)
    {
        if (AlwaysHolds(condition, is32Bit))
        {
            return match;
        }

        if (NeverHolds(condition, is32Bit))
        {
            return fail;
        }

        int index = condition.Index;
        uint lo = (uint)condition.Value, hi = (uint)(condition.Value >> 32);
        if (condition.Operator == SeccompOperator.MaskedEqual)
        {
            ulong datum = condition.ValueTwo & condition.Value;
            int low = Masked(emitter, LowOffset(index), lo, (uint)datum, match, fail);
            return is32Bit ? low : Masked(emitter, HighOffset(index), hi, (uint)(datum >> 32), low, fail);
        }

        // The operators in terms of the two tests classic BPF has (jgt, jge, jeq) and whether the result is negated.
        (ushort lowTest, bool negated) = condition.Operator switch
        {
            SeccompOperator.Equal => (SeccompConstants.BPF_JEQ, false),
            SeccompOperator.NotEqual => (SeccompConstants.BPF_JEQ, true),
            SeccompOperator.GreaterThan => (SeccompConstants.BPF_JGT, false),
            SeccompOperator.GreaterOrEqual => (SeccompConstants.BPF_JGE, false),
            SeccompOperator.LessOrEqual => (SeccompConstants.BPF_JGT, true),
            _ => (SeccompConstants.BPF_JGE, true), // LessThan
        };
        int yes = negated ? fail : match, no = negated ? match : fail;

        emitter.Jump(lowTest, lo, yes, no);
        int lowStart = emitter.Load(LowOffset(index));
        if (is32Bit)
        {
            return lowStart;
        }

        if (lowTest == SeccompConstants.BPF_JEQ)
        {
            // == : the high halves must be equal too.
            emitter.Jump(SeccompConstants.BPF_JEQ, hi, lowStart, no);
        }
        else if (hi == 0)
        {
            // A high half above 0 is greater; only 0 goes on to the low half.
            emitter.Jump(SeccompConstants.BPF_JEQ, 0, lowStart, yes);
        }
        else if (hi == uint.MaxValue)
        {
            // No high half is greater than 0xffffffff; only an equal one goes on to the low half.
            emitter.Jump(SeccompConstants.BPF_JEQ, hi, lowStart, no);
        }
        else
        {
            int equal = emitter.Jump(SeccompConstants.BPF_JEQ, hi, lowStart, no);
            emitter.Jump(SeccompConstants.BPF_JGT, hi, yes, equal);
        }

        return emitter.Load(HighOffset(index));
    }

    /// <summary>(word &amp; mask) == datum for one half; returns its first label (or <paramref name="match"/> when the mask is 0).</summary>
    private static int Masked(BpfEmitter emitter, uint offset, uint mask, uint datum, int match, int fail)
    {
        if (mask == 0)
        {
            return match;
        }

        if (datum == 0)
        {
            emitter.Jump(SeccompConstants.BPF_JSET, mask, fail, match);
        }
        else
        {
            emitter.Jump(SeccompConstants.BPF_JEQ, datum, match, fail);
            if (mask != uint.MaxValue)
            {
                emitter.And(mask);
            }
        }

        return emitter.Load(offset);
    }
}

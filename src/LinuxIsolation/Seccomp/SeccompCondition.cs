using System;
using System.Globalization;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// A comparison of one system call argument (<c>seccomp_data.args[Index]</c>) with a constant: libseccomp's
/// <c>SCMP_A0(SCMP_CMP_EQ, 8)</c>, the OCI runtime spec's <c>{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}</c>.
/// </summary>
/// <remarks>
/// Arguments are compared unsigned and whole (64 bits), both 32-bit halves in the compiled program. On i386 and x32
/// the kernel's arguments are 32 bits wide and, as libseccomp does, only the low 32 bits of the argument and of the
/// value (and mask) are compared there. Pointers are compared as numbers: a filter cannot look at memory.
/// </remarks>
public readonly record struct SeccompCondition
{
    /// <summary>Creates a comparison; see <see cref="SeccompOperator"/> for what <paramref name="value"/> and <paramref name="valueTwo"/> mean.</summary>
    /// <param name="index">The argument, 0 to 5.</param>
    /// <param name="op">The comparison.</param>
    /// <param name="value">The value compared with, or the mask of <see cref="SeccompOperator.MaskedEqual"/>.</param>
    /// <param name="valueTwo">The value compared with for <see cref="SeccompOperator.MaskedEqual"/>; unused by the others.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is above 5 or negative, or <paramref name="op"/> is unknown.</exception>
    public SeccompCondition(int index, SeccompOperator op, ulong value, ulong valueTwo = 0)
    {
        if (index is < 0 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Argument index {index} is above 5: a system call has six arguments, 0 to 5.");
        }

        if (op is < SeccompOperator.NotEqual or > SeccompOperator.MaskedEqual)
        {
            throw new ArgumentOutOfRangeException(nameof(op), op, $"Unknown seccomp comparison {(int)op}.");
        }

        Index = index;
        Operator = op;
        Value = value;
        ValueTwo = valueTwo;
    }

    /// <summary>The argument, 0 to 5.</summary>
    public int Index { get; }

    /// <summary>The comparison.</summary>
    public SeccompOperator Operator { get; }

    /// <summary>The value compared with, or the mask of <see cref="SeccompOperator.MaskedEqual"/>.</summary>
    public ulong Value { get; }

    /// <summary>The value compared with for <see cref="SeccompOperator.MaskedEqual"/> (OCI <c>valueTwo</c>); 0 for the others.</summary>
    public ulong ValueTwo { get; }

    /// <summary>argument == <paramref name="value"/>.</summary>
    public static SeccompCondition Equal(int index, ulong value) => new(index, SeccompOperator.Equal, value);

    /// <summary>argument != <paramref name="value"/>.</summary>
    public static SeccompCondition NotEqual(int index, ulong value) => new(index, SeccompOperator.NotEqual, value);

    /// <summary>argument &lt; <paramref name="value"/> (unsigned).</summary>
    public static SeccompCondition LessThan(int index, ulong value) => new(index, SeccompOperator.LessThan, value);

    /// <summary>argument &lt;= <paramref name="value"/> (unsigned).</summary>
    public static SeccompCondition LessOrEqual(int index, ulong value) => new(index, SeccompOperator.LessOrEqual, value);

    /// <summary>argument &gt;= <paramref name="value"/> (unsigned).</summary>
    public static SeccompCondition GreaterOrEqual(int index, ulong value) => new(index, SeccompOperator.GreaterOrEqual, value);

    /// <summary>argument &gt; <paramref name="value"/> (unsigned).</summary>
    public static SeccompCondition GreaterThan(int index, ulong value) => new(index, SeccompOperator.GreaterThan, value);

    /// <summary>(argument &amp; <paramref name="mask"/>) == (<paramref name="value"/> &amp; <paramref name="mask"/>).</summary>
    public static SeccompCondition MaskedEqual(int index, ulong mask, ulong value) => new(index, SeccompOperator.MaskedEqual, mask, value);

    /// <summary>Whether <paramref name="argument"/> satisfies the comparison on an ABI with 64-bit (or, with <paramref name="is32Bit"/>, 32-bit) arguments.</summary>
    /// <param name="argument">The argument's value.</param>
    /// <param name="is32Bit">Compare the low 32 bits only, as on i386 and x32.</param>
    public bool Matches(ulong argument, bool is32Bit = false)
    {
        ulong value = Value, two = ValueTwo;
        if (is32Bit)
        {
            argument = (uint)argument;
            value = (uint)value;
            two = (uint)two;
        }

        return Operator switch
        {
            SeccompOperator.NotEqual => argument != value,
            SeccompOperator.LessThan => argument < value,
            SeccompOperator.LessOrEqual => argument <= value,
            SeccompOperator.Equal => argument == value,
            SeccompOperator.GreaterOrEqual => argument >= value,
            SeccompOperator.GreaterThan => argument > value,
            SeccompOperator.MaskedEqual => (argument & value) == (two & value),
            _ => false,
        };
    }

    /// <summary>The comparison as text, e.g. <c>arg0 == 0x8</c> or <c>(arg0 &amp; 0x7e020000) == 0x0</c>.</summary>
    public override string ToString() => Operator switch
    {
        SeccompOperator.MaskedEqual => string.Create(CultureInfo.InvariantCulture, $"(arg{Index} & 0x{Value:x}) == 0x{ValueTwo:x}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"arg{Index} {Symbol(Operator)} 0x{Value:x}"),
    };

    private static string Symbol(SeccompOperator op) => op switch
    {
        SeccompOperator.NotEqual => "!=",
        SeccompOperator.LessThan => "<",
        SeccompOperator.LessOrEqual => "<=",
        SeccompOperator.Equal => "==",
        SeccompOperator.GreaterOrEqual => ">=",
        _ => ">",
    };
}

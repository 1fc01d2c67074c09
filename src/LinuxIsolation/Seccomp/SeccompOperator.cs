namespace LinuxIsolation.Seccomp;

/// <summary>
/// How a <see cref="SeccompCondition"/> compares a system call argument (libseccomp's <c>SCMP_CMP_*</c>, the OCI
/// <c>op</c> values). Comparisons are unsigned, on the full 64-bit argument (on the 32-bit ABIs i386 and x32, on
/// its low 32 bits).
/// </summary>
public enum SeccompOperator
{
    /// <summary><c>SCMP_CMP_NE</c>: argument != value.</summary>
    NotEqual = 1,

    /// <summary><c>SCMP_CMP_LT</c>: argument &lt; value.</summary>
    LessThan = 2,

    /// <summary><c>SCMP_CMP_LE</c>: argument &lt;= value.</summary>
    LessOrEqual = 3,

    /// <summary><c>SCMP_CMP_EQ</c>: argument == value.</summary>
    Equal = 4,

    /// <summary><c>SCMP_CMP_GE</c>: argument &gt;= value.</summary>
    GreaterOrEqual = 5,

    /// <summary><c>SCMP_CMP_GT</c>: argument &gt; value.</summary>
    GreaterThan = 6,

    /// <summary>
    /// <c>SCMP_CMP_MASKED_EQ</c>: (argument &amp; mask) == (valueTwo &amp; mask), where the mask is
    /// <see cref="SeccompCondition.Value"/> and the value compared is <see cref="SeccompCondition.ValueTwo"/>, as in
    /// libseccomp (<c>SCMP_CMP_MASKED_EQ, mask, datum</c>) and the OCI runtime spec.
    /// </summary>
    MaskedEqual = 7,
}

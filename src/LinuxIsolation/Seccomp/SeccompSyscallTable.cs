using System;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// Lookups in the generated tables (SeccompSyscallTable.g.cs): binary searches over static arrays, no allocation.
/// </summary>
internal static partial class SeccompSyscallTable
{
    internal static string[] Names(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 => X86_64Names,
        SeccompArchitecture.I386 => I386Names,
        SeccompArchitecture.X32 => X32Names,
        SeccompArchitecture.Aarch64 => Aarch64Names,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown seccomp architecture."),
    };

    internal static ReadOnlySpan<int> Numbers(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 => X86_64Numbers,
        SeccompArchitecture.I386 => I386Numbers,
        SeccompArchitecture.X32 => X32Numbers,
        SeccompArchitecture.Aarch64 => Aarch64Numbers,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown seccomp architecture."),
    };

    private static ReadOnlySpan<ushort> ByNumber(SeccompArchitecture architecture) => architecture switch
    {
        SeccompArchitecture.X86_64 => X86_64ByNumber,
        SeccompArchitecture.I386 => I386ByNumber,
        SeccompArchitecture.X32 => X32ByNumber,
        SeccompArchitecture.Aarch64 => Aarch64ByNumber,
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown seccomp architecture."),
    };

    /// <summary>The position of <paramref name="name"/> in <see cref="Names"/>, or -1.</summary>
    internal static int IndexOf(SeccompArchitecture architecture, ReadOnlySpan<char> name)
    {
        string[] names = Names(architecture);
        int lo = 0, hi = names.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = names[mid].AsSpan().CompareTo(name, StringComparison.Ordinal);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>The position of the call numbered <paramref name="number"/> in <see cref="Names"/>, or -1.</summary>
    internal static int IndexOfNumber(SeccompArchitecture architecture, int number)
    {
        ReadOnlySpan<int> numbers = Numbers(architecture);
        ReadOnlySpan<ushort> order = ByNumber(architecture);
        int lo = 0, hi = order.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int n = numbers[order[mid]];
            if (n == number)
            {
                return order[mid];
            }

            if (n < number)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// System call names and numbers of the architectures a <see cref="SeccompFilter"/> can name, as the kernel's uapi
/// headers give them (<c>asm/unistd_64.h</c>, <c>asm/unistd_x32.h</c>, <c>asm/unistd_32.h</c>,
/// <c>asm-generic/unistd.h</c>; up to Linux 6.18). Like <c>scmp_sys_resolver</c>. Lookups do not allocate.
/// </summary>
public static class SeccompSyscalls
{
    /// <summary>The architecture of the running process (x86_64 or aarch64).</summary>
    /// <exception cref="PlatformNotSupportedException">On a process architecture this library has no table for.</exception>
    public static SeccompArchitecture NativeArchitecture => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SeccompArchitecture.X86_64,
        Architecture.Arm64 => SeccompArchitecture.Aarch64,
        Architecture.X86 => SeccompArchitecture.I386,
        Architecture other => throw new PlatformNotSupportedException($"seccomp filters for {other} processes are not supported."),
    };

    /// <summary>The number of system call <paramref name="name"/> on <paramref name="architecture"/>, as <c>seccomp_data.nr</c> holds it (x32 numbers include 0x40000000).</summary>
    /// <param name="architecture">The ABI.</param>
    /// <param name="name">The name without <c>__NR_</c>, e.g. <c>openat</c>.</param>
    /// <param name="number">The number, or -1.</param>
    /// <returns>false when the architecture has no such call.</returns>
    public static bool TryGetNumber(SeccompArchitecture architecture, ReadOnlySpan<char> name, out int number)
    {
        int index = SeccompSyscallTable.IndexOf(architecture, name);
        number = index < 0 ? -1 : SeccompSyscallTable.Numbers(architecture)[index];
        return index >= 0;
    }

    /// <summary>The number of system call <paramref name="name"/> on <paramref name="architecture"/>.</summary>
    /// <exception cref="ArgumentException">The architecture has no such call.</exception>
    public static int GetNumber(SeccompArchitecture architecture, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGetNumber(architecture, name, out int number)
            ? number
            : throw new ArgumentException($"\"{name}\" is not a system call on {SeccompFilter.ArchitectureName(architecture)}.", nameof(name));
    }

    /// <summary>The name of the system call numbered <paramref name="number"/> on <paramref name="architecture"/>, or null.</summary>
    public static string? GetName(SeccompArchitecture architecture, int number)
    {
        int index = SeccompSyscallTable.IndexOfNumber(architecture, number);
        return index < 0 ? null : SeccompSyscallTable.Names(architecture)[index];
    }

    /// <summary>Every system call name of <paramref name="architecture"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> GetNames(SeccompArchitecture architecture) => Array.AsReadOnly(SeccompSyscallTable.Names(architecture));
}

using System.ComponentModel;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink;

namespace LinuxIsolation;

/// <summary>
/// A system call failed. <see cref="Win32Exception.NativeErrorCode"/> is the errno; the call and the path it
/// worked on are kept apart, and the message reads like <c>pivot_root("/x"): Invalid argument (EINVAL)</c>.
/// </summary>
public class LinuxSyscallException : Win32Exception
{
    /// <summary>Creates the exception for <paramref name="syscall"/> failing with <paramref name="errno"/>.</summary>
    /// <param name="errno">The positive errno.</param>
    /// <param name="syscall">The call, e.g. "setns".</param>
    /// <param name="path">The path it worked on, or null.</param>
    /// <param name="detail">A hint at the likely cause, appended in parentheses, or null.</param>
    public LinuxSyscallException(int errno, string syscall, string? path = null, string? detail = null)
        : base(errno, Format(errno, syscall, path, detail))
    {
        Syscall = syscall;
        Path = path;
        Detail = detail;
    }

    /// <summary>The system call that failed.</summary>
    public string Syscall { get; }

    /// <summary>The path it worked on, or null.</summary>
    public string? Path { get; }

    /// <summary>The hint at the likely cause, or null.</summary>
    public string? Detail { get; }

    /// <summary>The errno, positive.</summary>
    public int Errno => NativeErrorCode;

    /// <summary>The errno's symbolic name, e.g. "EINVAL".</summary>
    public string ErrorName => LinuxIsolation.Errno.GetName(NativeErrorCode);

    /// <summary>Builds the exception from the errno of the last P/Invoke call.</summary>
    internal static LinuxSyscallException FromLastError(string syscall, string? path = null, string? detail = null) =>
        new(Marshal.GetLastPInvokeError(), syscall, path, detail);

    private static string Format(int errno, string syscall, string? path, string? detail)
    {
        string call = path is null ? syscall : $"{syscall}(\"{path}\")";
        string text = $"{call}: {new Win32Exception(errno).Message} ({LinuxIsolation.Errno.GetName(errno)})";
        return detail is null ? text : $"{text} ({detail})";
    }
}

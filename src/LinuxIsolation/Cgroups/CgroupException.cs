using System.ComponentModel;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// A cgroup file operation failed. The message names the operation, the file (absolute path) and the value
/// written, e.g. <c>write "max 100000" to /sys/fs/cgroup/app/cpu.max: Invalid argument (EINVAL)</c>.
/// </summary>
public class CgroupException : LinuxSyscallException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errno">The positive errno.</param>
    /// <param name="operation">What was done: "open", "read", "write", "mkdir", "rmdir".</param>
    /// <param name="file">The absolute path of the file or directory.</param>
    /// <param name="value">The value written, or null when nothing was written.</param>
    /// <param name="detail">A hint at the likely cause, or null.</param>
    public CgroupException(int errno, string operation, string file, string? value = null, string? detail = null)
        : base(errno, operation, file, detail)
    {
        Value = value;
    }

    /// <summary>The value that was written, or null.</summary>
    public string? Value { get; }

    /// <summary>The operation: "open", "read", "write", "mkdir", "rmdir".</summary>
    public string Operation => Syscall;

    /// <inheritdoc />
    public override string Message
    {
        get
        {
            string what = Value is null ? $"{Syscall} {Path}" : $"{Syscall} \"{Value.TrimEnd('\n')}\" to {Path}";
            string text = $"{what}: {new Win32Exception(Errno).Message} ({ErrorName})";
            return Detail is null ? text : $"{text} ({Detail})";
        }
    }
}

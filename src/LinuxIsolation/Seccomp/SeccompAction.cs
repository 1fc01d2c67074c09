using System;
using System.Globalization;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// A seccomp action with its data: the 32-bit value a filter returns (<c>SECCOMP_RET_*</c> in the upper 16 bits,
/// an errno or a tracer's value in the lower 16). The OCI spellings are <c>SCMP_ACT_KILL_PROCESS</c>,
/// <c>SCMP_ACT_KILL_THREAD</c> (and <c>SCMP_ACT_KILL</c>), <c>SCMP_ACT_TRAP</c>, <c>SCMP_ACT_ERRNO</c>,
/// <c>SCMP_ACT_TRACE</c>, <c>SCMP_ACT_LOG</c>, <c>SCMP_ACT_ALLOW</c> and <c>SCMP_ACT_NOTIFY</c>.
/// </summary>
/// <remarks>The default value is <see cref="KillThread"/>, whose kernel value is 0.</remarks>
public readonly struct SeccompAction : IEquatable<SeccompAction>
{
    private SeccompAction(SeccompActionKind kind, ushort data)
    {
        Kind = kind;
        Data = data;
    }

    /// <summary><c>SECCOMP_RET_KILL_PROCESS</c> (Linux 4.14).</summary>
    public static SeccompAction KillProcess => new(SeccompActionKind.KillProcess, 0);

    /// <summary><c>SECCOMP_RET_KILL_THREAD</c> (Linux 3.5).</summary>
    public static SeccompAction KillThread => new(SeccompActionKind.KillThread, 0);

    /// <summary><c>SECCOMP_RET_TRAP</c> (Linux 3.5).</summary>
    public static SeccompAction Trap => new(SeccompActionKind.Trap, 0);

    /// <summary><c>SECCOMP_RET_LOG</c> (Linux 4.14).</summary>
    public static SeccompAction Log => new(SeccompActionKind.Log, 0);

    /// <summary><c>SECCOMP_RET_ALLOW</c> (Linux 3.5).</summary>
    public static SeccompAction Allow => new(SeccompActionKind.Allow, 0);

    /// <summary><c>SECCOMP_RET_USER_NOTIF</c> (Linux 5.0): needs a listener.</summary>
    public static SeccompAction UserNotify => new(SeccompActionKind.UserNotify, 0);

    /// <summary>What the kernel does.</summary>
    public SeccompActionKind Kind { get; }

    /// <summary>The errno (<see cref="SeccompActionKind.Errno"/>) or the tracer's value (<see cref="SeccompActionKind.Trace"/>); 0 otherwise.</summary>
    public ushort Data { get; }

    /// <summary>
    /// <c>SECCOMP_RET_ERRNO | errno</c> (Linux 3.5): the call fails with <paramref name="errno"/> without being made.
    /// </summary>
    /// <param name="errno">0 to 4095 (MAX_ERRNO; the kernel caps larger values at it). 0 makes the call return 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="errno"/> is not 0 to 4095.</exception>
    public static SeccompAction Errno(int errno)
    {
        if (errno is < 0 or > SeccompConstants.MAX_ERRNO)
        {
            throw new ArgumentOutOfRangeException(nameof(errno), errno, $"An errno for SECCOMP_RET_ERRNO is 0 to {SeccompConstants.MAX_ERRNO} (MAX_ERRNO).");
        }

        return new SeccompAction(SeccompActionKind.Errno, (ushort)errno);
    }

    /// <summary><c>SECCOMP_RET_TRACE | data</c> (Linux 3.5): the tracer gets <paramref name="data"/> with PTRACE_GETEVENTMSG.</summary>
    /// <param name="data">Any 16-bit value.</param>
    public static SeccompAction Trace(ushort data) => new(SeccompActionKind.Trace, data);

    /// <summary>The action of a filter's 32-bit return value, or false for a value that is no action.</summary>
    /// <param name="value">The value, e.g. <c>0x00050001</c> for ERRNO(1).</param>
    /// <param name="action">The action.</param>
    public static bool TryFromKernel(uint value, out SeccompAction action)
    {
        ushort data = (ushort)(value & SeccompConstants.SECCOMP_RET_DATA);
        action = (value & SeccompConstants.SECCOMP_RET_ACTION_FULL) switch
        {
            SeccompConstants.SECCOMP_RET_KILL_PROCESS when data == 0 => KillProcess,
            SeccompConstants.SECCOMP_RET_KILL_THREAD when data == 0 => KillThread,
            SeccompConstants.SECCOMP_RET_TRAP when data == 0 => Trap,
            SeccompConstants.SECCOMP_RET_ERRNO when data <= SeccompConstants.MAX_ERRNO => new SeccompAction(SeccompActionKind.Errno, data),
            SeccompConstants.SECCOMP_RET_TRACE => new SeccompAction(SeccompActionKind.Trace, data),
            SeccompConstants.SECCOMP_RET_LOG when data == 0 => Log,
            SeccompConstants.SECCOMP_RET_ALLOW when data == 0 => Allow,
            SeccompConstants.SECCOMP_RET_USER_NOTIF when data == 0 => UserNotify,
            _ => default,
        };
        return action.ToKernel() == value;
    }

    /// <summary>The value a filter returns for this action (<c>SECCOMP_RET_*</c> | data).</summary>
    public uint ToKernel() => Kind switch
    {
        SeccompActionKind.KillProcess => SeccompConstants.SECCOMP_RET_KILL_PROCESS,
        SeccompActionKind.KillThread => SeccompConstants.SECCOMP_RET_KILL_THREAD,
        SeccompActionKind.Trap => SeccompConstants.SECCOMP_RET_TRAP,
        SeccompActionKind.Errno => SeccompConstants.SECCOMP_RET_ERRNO | Data,
        SeccompActionKind.Trace => SeccompConstants.SECCOMP_RET_TRACE | Data,
        SeccompActionKind.Log => SeccompConstants.SECCOMP_RET_LOG,
        SeccompActionKind.Allow => SeccompConstants.SECCOMP_RET_ALLOW,
        SeccompActionKind.UserNotify => SeccompConstants.SECCOMP_RET_USER_NOTIF,
        _ => throw new InvalidOperationException($"Unknown seccomp action kind {(int)Kind}."),
    };

    /// <inheritdoc />
    public bool Equals(SeccompAction other) => Kind == other.Kind && Data == other.Data;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SeccompAction other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((int)Kind << 16) | Data;

    /// <summary>Equality of kind and data.</summary>
    public static bool operator ==(SeccompAction left, SeccompAction right) => left.Equals(right);

    /// <summary>Inequality of kind or data.</summary>
    public static bool operator !=(SeccompAction left, SeccompAction right) => !left.Equals(right);

    /// <summary>The action as libseccomp's <c>scmp_bpf_disasm</c> prints it: <c>ALLOW</c>, <c>ERRNO(1)</c>, <c>KILL_PROCESS</c>...</summary>
    public override string ToString() => Kind switch
    {
        SeccompActionKind.KillProcess => "KILL_PROCESS",
        SeccompActionKind.KillThread => "KILL",
        SeccompActionKind.Trap => "TRAP",
        SeccompActionKind.Errno => "ERRNO(" + Data.ToString(CultureInfo.InvariantCulture) + ")",
        SeccompActionKind.Trace => "TRACE(" + Data.ToString(CultureInfo.InvariantCulture) + ")",
        SeccompActionKind.Log => "LOG",
        SeccompActionKind.Allow => "ALLOW",
        SeccompActionKind.UserNotify => "USER_NOTIF",
        _ => "0x" + ((int)Kind).ToString("x", CultureInfo.InvariantCulture),
    };
}

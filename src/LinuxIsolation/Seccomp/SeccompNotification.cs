using System;
using System.Globalization;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// One system call stopped by a <see cref="SeccompActionKind.UserNotify"/> rule, waiting for the supervisor's answer
/// (the kernel's <c>struct seccomp_notif</c>, read by <see cref="SeccompNotifier.TryReceive"/>).
/// </summary>
/// <remarks>
/// The arguments are the registers the task passed: a pointer in them points into the task's memory, which can change
/// while the supervisor reads it (read it through <c>/proc/PID/mem</c>, then check <see cref="SeccompNotifier.IsValid"/>
/// before acting on it, as seccomp_unotify(2) says). Never let a supervisor's decision rest on memory it read that the
/// task could still change: answering <see cref="SeccompNotifier.Continue"/> lets the kernel re-read it.
/// </remarks>
public readonly struct SeccompNotification
{
    private readonly ulong _a0, _a1, _a2, _a3, _a4, _a5;

    internal unsafe SeccompNotification(in seccomp_notif n)
    {
        Id = n.id;
        ProcessId = (int)n.pid;
        SyscallNumber = n.data.nr;
        AuditArchitecture = n.data.arch;
        InstructionPointer = n.data.instruction_pointer;
        _a0 = n.data.args[0];
        _a1 = n.data.args[1];
        _a2 = n.data.args[2];
        _a3 = n.data.args[3];
        _a4 = n.data.args[4];
        _a5 = n.data.args[5];
    }

    /// <summary>The notification's cookie, which <see cref="SeccompNotifier.Continue"/>, <see cref="SeccompNotifier.Fail"/>, <see cref="SeccompNotifier.Return"/> and <see cref="SeccompNotifier.IsValid"/> take.</summary>
    public ulong Id { get; }

    /// <summary>The thread that made the call, as a thread id in the supervisor's PID namespace (0 when it is not visible there).</summary>
    public int ProcessId { get; }

    /// <summary>The system call number (<c>seccomp_data.nr</c>) of the ABI in <see cref="AuditArchitecture"/>.</summary>
    public int SyscallNumber { get; }

    /// <summary>The ABI of the call (<c>seccomp_data.arch</c>, an <c>AUDIT_ARCH_*</c> value, e.g. 0xc000003e for x86_64).</summary>
    public uint AuditArchitecture { get; }

    /// <summary>The address of the system call instruction.</summary>
    public ulong InstructionPointer { get; }

    /// <summary>The name of the call (<c>mkdir</c>), or null when the ABI or number is not one the library knows.</summary>
    public string? SyscallName
    {
        get
        {
            SeccompArchitecture? architecture = AuditArchitecture switch
            {
                SeccompConstants.AUDIT_ARCH_X86_64 when ((uint)SyscallNumber & SeccompConstants.__X32_SYSCALL_BIT) != 0 => SeccompArchitecture.X32,
                SeccompConstants.AUDIT_ARCH_X86_64 => SeccompArchitecture.X86_64,
                SeccompConstants.AUDIT_ARCH_I386 => SeccompArchitecture.I386,
                SeccompConstants.AUDIT_ARCH_AARCH64 => SeccompArchitecture.Aarch64,
                _ => null,
            };
            return architecture is null ? null : SeccompSyscalls.GetName(architecture.Value, SyscallNumber);
        }
    }

    /// <summary>Argument <paramref name="index"/> (0 to 5) as the task passed it (<c>seccomp_data.args</c>).</summary>
    /// <param name="index">0 to 5.</param>
    public ulong GetArgument(int index) => index switch
    {
        0 => _a0,
        1 => _a1,
        2 => _a2,
        3 => _a3,
        4 => _a4,
        5 => _a5,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A system call has arguments 0 to 5."),
    };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seccomp notification {Id}: pid {ProcessId} {SyscallName ?? "syscall " + SyscallNumber.ToString(CultureInfo.InvariantCulture)}(0x{_a0:x}, 0x{_a1:x}, 0x{_a2:x}, 0x{_a3:x}, 0x{_a4:x}, 0x{_a5:x})");
}

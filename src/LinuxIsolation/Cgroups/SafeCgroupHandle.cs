using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// Owns an open cgroup v2 directory (<c>O_RDONLY | O_DIRECTORY | O_CLOEXEC</c>). Every file of the cgroup is
/// opened beneath it, and it is the descriptor <c>clone3</c> takes in <c>clone_args.cgroup</c> with
/// <c>CLONE_INTO_CGROUP</c> (Linux 5.7) to start a child directly inside the cgroup.
/// </summary>
/// <remarks>
/// It is not an <c>O_PATH</c> descriptor on purpose: the kernel refuses <c>O_PATH</c> descriptors for
/// <c>CLONE_INTO_CGROUP</c> (<c>EBADF</c>).
/// </remarks>
public sealed class SafeCgroupHandle : SafeHandle
{
    /// <summary>Creates an invalid handle (for marshalling).</summary>
    public SafeCgroupHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    internal SafeCgroupHandle(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>
    /// The descriptor number, e.g. for <c>clone_args.cgroup</c>; valid only while the handle is open (hold a
    /// reference with <see cref="SafeHandle.DangerousAddRef"/> around its use).
    /// </summary>
    public int DangerousFileDescriptor => (int)handle.ToInt64();

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Interop.Cgroups.close((int)handle.ToInt64()) == 0;
}

using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation;

/// <summary>Owns a Linux file descriptor and closes it when released.</summary>
/// <remarks>Every descriptor the library opens is opened close-on-exec and owned by one of these.</remarks>
public sealed class SafeFileDescriptor : SafeHandle
{
    /// <summary>Creates an invalid handle (for marshalling).</summary>
    public SafeFileDescriptor()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    /// <summary>Wraps <paramref name="fd"/>; the handle closes it when <paramref name="ownsHandle"/> is true.</summary>
    public SafeFileDescriptor(int fd, bool ownsHandle)
        : base(new IntPtr(-1), ownsHandle)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number; valid only while the handle is not closed.</summary>
    public int DangerousFileDescriptor => (int)handle.ToInt64();

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Netlink.Interop.close((int)handle.ToInt64()) == 0;
}

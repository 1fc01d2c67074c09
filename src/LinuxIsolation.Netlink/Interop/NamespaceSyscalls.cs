using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink;

/// <summary>
/// The system calls made while a dedicated thread is inside a foreign namespace, called through libc function
/// pointers rather than <c>[LibraryImport]</c> stubs. Shared by both packages (LinuxIsolation's namespace entry,
/// this package's tun/tap creation in a client's namespace).
/// </summary>
/// <remarks>
/// <para>
/// Why not the usual interop: a thread created by a thread inherits its namespaces, and the .NET runtime starts
/// some of its helper threads from whichever managed thread needs them first: the tiered-compilation worker is
/// started by the thread whose call counting reaches the threshold (or that first calls a method during the
/// tiering delay), the background GC thread by the thread that triggers the first background GC. Seen here: a
/// delegate called a hundred times inside a namespace left the ".NET Tiered Compilation Worker" thread in that
/// namespace. Every <c>[LibraryImport]</c> stub is a managed method that is call-counted like any other, so
/// none may be entered inside a namespace.
/// </para>
/// <para>
/// These methods are compiled fully optimised at first call (which happens at home) and are never call-counted;
/// their bodies are an unmanaged call and, on failure, a read of <c>errno</c> through <c>__errno_location</c>.
/// The runtime preserves <c>errno</c> across the return transition as it does for <c>SetLastError</c> stubs.
/// File descriptors are passed as raw numbers: callers hold a reference on their SafeHandles (taken at home) for
/// as long as the numbers are used.
/// </para>
/// </remarks>
internal static unsafe class NamespaceSyscalls
{
    private static readonly delegate* unmanaged<int, int, int> s_setns;
    private static readonly delegate* unmanaged<int, int> s_unshare;
    private static readonly delegate* unmanaged<byte*, int, uint, int> s_open;
    private static readonly delegate* unmanaged<int, int, int, int> s_socket;
    private static readonly delegate* unmanaged<byte*, byte*, byte*, nuint, void*, int> s_mount;
    private static readonly delegate* unmanaged<int*> s_errnoLocation;

    static NamespaceSyscalls()
    {
        nint libc = NativeLibrary.Load("libc", typeof(NamespaceSyscalls).Assembly, null);
        s_setns = (delegate* unmanaged<int, int, int>)NativeLibrary.GetExport(libc, "setns");
        s_unshare = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(libc, "unshare");
        s_open = (delegate* unmanaged<byte*, int, uint, int>)NativeLibrary.GetExport(libc, "open");
        s_socket = (delegate* unmanaged<int, int, int, int>)NativeLibrary.GetExport(libc, "socket");
        s_mount = (delegate* unmanaged<byte*, byte*, byte*, nuint, void*, int>)NativeLibrary.GetExport(libc, "mount");
        s_errnoLocation = (delegate* unmanaged<int*>)NativeLibrary.GetExport(libc, "__errno_location");
    }

    /// <summary>Runs the static constructor (at home), so that no class-initialisation check runs inside.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void EnsureLoaded() => _ = s_errnoLocation;

    /// <summary><c>setns(fd, nstype)</c>; on failure returns -1 and the errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Setns(int fd, int nstype, out int errno)
    {
        int rc = s_setns(fd, nstype);
        errno = rc < 0 ? *s_errnoLocation() : 0;
        return rc;
    }

    /// <summary><c>unshare(flags)</c>; on failure returns -1 and the errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Unshare(int flags, out int errno)
    {
        int rc = s_unshare(flags);
        errno = rc < 0 ? *s_errnoLocation() : 0;
        return rc;
    }

    /// <summary><c>open(path, flags, mode)</c> of a NUL-terminated path; on failure returns -1 and the errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Open(byte* path, int flags, uint mode, out int errno)
    {
        int fd = s_open(path, flags, mode);
        errno = fd < 0 ? *s_errnoLocation() : 0;
        return fd;
    }

    /// <summary><c>socket(domain, type, protocol)</c>; on failure returns -1 and the errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Socket(int domain, int type, int protocol, out int errno)
    {
        int fd = s_socket(domain, type, protocol);
        errno = fd < 0 ? *s_errnoLocation() : 0;
        return fd;
    }

    /// <summary><c>mount(source, target, fstype, flags, NULL)</c> of NUL-terminated strings; on failure returns -1 and the errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Mount(byte* source, byte* target, byte* fstype, ulong flags, out int errno)
    {
        int rc = s_mount(source, target, fstype, (nuint)flags, null);
        errno = rc < 0 ? *s_errnoLocation() : 0;
        return rc;
    }

    /// <summary>
    /// Moves the calling thread back into its own namespace <paramref name="originalFd"/>; if that fails the
    /// thread is stranded in a foreign namespace and the process is terminated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Restore(int originalFd, int nstype)
    {
        if (Setns(originalFd, nstype, out int errno) != 0)
        {
            FailRestore(nstype, errno);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailRestore(int nstype, int errno) =>
        Environment.FailFast($"LinuxIsolation: setns back into the thread's own namespace (CLONE_NEW* 0x{nstype:x}) failed with errno {errno} ({Errno.GetName(errno)}); terminating rather than leave a thread in a foreign namespace.");
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// The system calls made while a thread is inside a foreign namespace, called through libc function pointers
/// rather than <c>[LibraryImport]</c> stubs; the one place in the library (managed code) that calls
/// <c>setns(2)</c>. Used by the <see cref="NamespaceWorker"/> (the library's own sequences) and by
/// <see cref="NamespaceThread"/> (a caller's delegate on a dedicated thread).
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
/// These methods are compiled fully optimised at first call (which happens at home, see
/// <see cref="EnsureLoaded"/>) and are never call-counted; their bodies are an unmanaged call and, on failure, a
/// read of <c>errno</c> through <c>__errno_location</c>. File descriptors are passed as raw numbers: callers hold
/// a reference on their SafeHandles (taken at home) for as long as the numbers are used.
/// </para>
/// </remarks>
internal static unsafe class NamespaceSyscalls
{
    private static readonly delegate* unmanaged<int, int, int> s_setns;
    private static readonly delegate* unmanaged<int, int> s_unshare;
    private static readonly delegate* unmanaged<byte*, int, uint, int> s_open;
    private static readonly delegate* unmanaged<int, int, int, int> s_socket;
    private static readonly delegate* unmanaged<byte*, byte*, byte*, nuint, void*, int> s_mount;
    private static readonly delegate* unmanaged<int, byte*, nuint, nint> s_write;
    private static readonly delegate* unmanaged<void> s_abort;
    private static readonly delegate* unmanaged<int*> s_errnoLocation;

    /// <summary>
    /// Test seam (set by tests in a child process only): when non-zero, the next restore fails with this errno
    /// without calling <c>setns</c>, so the process-termination path runs for real.
    /// </summary>
    internal static int s_injectRestoreFailure;

    static NamespaceSyscalls()
    {
        nint libc = NativeLibrary.Load("libc", typeof(NamespaceSyscalls).Assembly, null);
        s_setns = (delegate* unmanaged<int, int, int>)NativeLibrary.GetExport(libc, "setns");
        s_unshare = (delegate* unmanaged<int, int>)NativeLibrary.GetExport(libc, "unshare");
        s_open = (delegate* unmanaged<byte*, int, uint, int>)NativeLibrary.GetExport(libc, "open");
        s_socket = (delegate* unmanaged<int, int, int, int>)NativeLibrary.GetExport(libc, "socket");
        s_mount = (delegate* unmanaged<byte*, byte*, byte*, nuint, void*, int>)NativeLibrary.GetExport(libc, "mount");
        s_write = (delegate* unmanaged<int, byte*, nuint, nint>)NativeLibrary.GetExport(libc, "write");
        s_abort = (delegate* unmanaged<void>)NativeLibrary.GetExport(libc, "abort");
        s_errnoLocation = (delegate* unmanaged<int*>)NativeLibrary.GetExport(libc, "__errno_location");
    }

    /// <summary>Runs the static constructor and compiles the methods used inside (at home), so that nothing is initialised or compiled inside.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void EnsureLoaded()
    {
        _ = s_errnoLocation;
        RuntimeHelpers.PrepareMethod(typeof(NamespaceSyscalls).GetMethod(nameof(FailRestore), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.MethodHandle);
    }

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
    /// thread is stranded in a foreign namespace and the process is terminated without running any more managed
    /// code on this thread (a message on standard error, then <c>abort(3)</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Restore(int originalFd, int nstype)
    {
        int errno;
        if (s_injectRestoreFailure != 0)
        {
            errno = s_injectRestoreFailure;
        }
        else if (Setns(originalFd, nstype, out errno) == 0)
        {
            return;
        }

        FailRestore(errno);
    }

    /// <summary>Writes why to standard error (the errno in decimal, formatted by hand) and aborts the process.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void FailRestore(int errno)
    {
        byte* message = stackalloc byte[160];
        ReadOnlySpan<byte> text = "LinuxIsolation: setns back into a thread's own namespace failed (errno "u8;
        int n = 0;
        for (; n < text.Length; n++)
        {
            message[n] = text[n];
        }

        byte* digits = stackalloc byte[12];
        int d = 0;
        uint value = (uint)errno;
        do
        {
            digits[d++] = (byte)('0' + (value % 10));
            value /= 10;
        }
        while (value != 0 && d < 12);
        while (d > 0)
        {
            message[n++] = digits[--d];
        }

        ReadOnlySpan<byte> tail = "); terminating rather than leave a thread in a foreign namespace.\n"u8;
        for (int i = 0; i < tail.Length && n < 160; i++)
        {
            message[n++] = tail[i];
        }

        _ = s_write(2, message, (nuint)n);
        s_abort();
    }
}

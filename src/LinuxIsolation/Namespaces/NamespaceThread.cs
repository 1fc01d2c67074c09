using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// The thread rule of ARCHITECTURE.md in one place: namespaces are entered only on a dedicated thread created
/// for the purpose (never a thread-pool thread), every namespace changed is restored before the thread ends,
/// and if restoring fails the process is terminated rather than let that thread run further managed code.
/// </summary>
internal static class NamespaceThread
{
    /// <summary>Runs <paramref name="work"/> on a new dedicated thread, waits for it and returns its result or rethrows its exception.</summary>
    internal static T RunDedicated<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;

        // UnsafeStart: no ExecutionContext flows in, so no AsyncLocal state or callbacks follow the caller
        // into the namespace.
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "lxi-namespace",
        };
        thread.UnsafeStart();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// On the current thread, which must be a dedicated one from <see cref="RunDedicated{T}"/>: enters every
    /// namespace in <paramref name="targets"/> (in order), runs <paramref name="body"/>, and restores the
    /// thread's own namespaces in reverse order, also when <paramref name="body"/> throws.
    /// </summary>
    internal static T EnterAndRun<T>(NamespaceHandle[] targets, Func<T> body)
    {
        var originals = new SafeFileDescriptor[targets.Length];
        int entered = 0;
        try
        {
            bool mount = false;
            for (int i = 0; i < targets.Length; i++)
            {
                originals[i] = OpenOwn(targets[i].Kind);
                mount |= targets[i].Kind == NamespaceKind.Mount;
            }

            // setns into a mount namespace needs a filesystem context (root, cwd, umask) not shared with
            // other threads; this thread takes a private copy. It ends with the thread.
            if (mount && Interop.unshare(Interop.CLONE_FS) != 0)
            {
                throw LinuxSyscallException.FromLastError("unshare(CLONE_FS)");
            }

            for (; entered < targets.Length; entered++)
            {
                NamespaceHandle target = targets[entered];
                if (Interop.setns(target.FileDescriptor, (int)target.Kind) != 0)
                {
                    throw LinuxSyscallException.FromLastError("setns", target.Path ?? target.ToString(), SetnsHint(target.Kind));
                }
            }

            return body();
        }
        finally
        {
            while (entered > 0)
            {
                entered--;
                Restore(originals[entered], targets[entered].Kind);
            }

            foreach (SafeFileDescriptor? original in originals)
            {
                original?.Dispose();
            }
        }
    }

    /// <summary>Opens the calling thread's own namespace of <paramref name="kind"/> (<c>/proc/thread-self/ns/KIND</c>).</summary>
    internal static SafeFileDescriptor OpenOwn(NamespaceKind kind)
    {
        string path = "/proc/thread-self/ns/" + kind.ProcName();
        int fd = Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw LinuxSyscallException.FromLastError("open", path);
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>Moves the calling thread back into <paramref name="original"/>; terminates the process if that fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Restore(SafeFileDescriptor original, NamespaceKind kind)
    {
        if (Interop.setns(original, (int)kind) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();

            // The thread is stranded in a foreign namespace: no further managed code may run on it.
            Environment.FailFast($"LinuxIsolation: setns back into the thread's own {kind.ProcName()} namespace failed with errno {errno}; terminating rather than leave a thread in a foreign namespace.");
        }
    }

    private static string? SetnsHint(NamespaceKind kind) => kind switch
    {
        NamespaceKind.Network or NamespaceKind.Uts or NamespaceKind.Ipc => "needs CAP_SYS_ADMIN in the namespace's owning user namespace",
        NamespaceKind.Mount => "needs CAP_SYS_ADMIN and CAP_SYS_CHROOT",
        _ => null,
    };
}

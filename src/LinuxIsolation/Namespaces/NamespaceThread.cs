using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// The thread rule of ARCHITECTURE.md for a caller's delegate (<see cref="NamespaceHandle.Run{T}(Func{T})"/>): it
/// runs on a dedicated thread created for the purpose (never a thread-pool thread, never the namespace worker,
/// because caller code may block, throw or start threads), every namespace entered is restored before the thread
/// ends, and if restoring fails the process is terminated rather than let that thread run further managed code.
/// The library's own fixed sequences go to the <see cref="NamespaceWorker"/> instead.
/// </summary>
internal static class NamespaceThread
{
    [ThreadStatic]
    private static bool t_isDedicated;

    /// <summary>True on a dedicated thread while it runs a caller's work (possibly inside a foreign namespace).</summary>
    internal static bool IsDedicatedThread => t_isDedicated;

    /// <summary>Runs <paramref name="work"/> on a new dedicated thread, waits for it and returns its result or rethrows its exception.</summary>
    internal static T RunDedicated<T>(Func<T> work)
    {
        // Called again from a delegate already running on a dedicated thread (ns.Run(() => other.OpenRtnetlink())):
        // reuse this thread rather than start one from inside a foreign namespace. Whatever the nested call
        // enters, it restores to where this thread is now.
        if (t_isDedicated)
        {
            return work();
        }

        T result = default!;
        ExceptionDispatchInfo? failure = null;

        // UnsafeStart: no ExecutionContext flows in, so no AsyncLocal state or callbacks follow the caller
        // into the namespace.
        var thread = new Thread(() =>
        {
            t_isDedicated = true;
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
    /// thread's own namespaces in reverse order, also when <paramref name="body"/> throws. Everything that can be
    /// prepared (opening the thread's own namespaces, references on the handles) is done before entering.
    /// </summary>
    internal static T EnterAndRun<T>(NamespaceHandle[] targets, Func<T> body)
    {
        NamespaceSyscalls.EnsureLoaded();
        int count = targets.Length;
        var originals = new SafeFileDescriptor[count];
        var targetFds = new int[count];
        var originalFds = new int[count];
        var kinds = new int[count];
        int referenced = 0;
        try
        {
            bool mount = false;
            for (int i = 0; i < count; i++)
            {
                originals[i] = OpenOwn(targets[i].Kind);
                originalFds[i] = originals[i].DangerousFileDescriptor;
                kinds[i] = (int)targets[i].Kind;
                mount |= targets[i].Kind == NamespaceKind.Mount;
            }

            // setns into a mount namespace needs a filesystem context (root, cwd, umask) not shared with
            // other threads; this thread takes a private copy. It ends with the thread.
            if (mount && Interop.unshare(Interop.CLONE_FS) != 0)
            {
                throw LinuxSyscallException.FromLastError("unshare(CLONE_FS)");
            }

            for (; referenced < count; referenced++)
            {
                bool added = false;
                targets[referenced].FileDescriptor.DangerousAddRef(ref added);
                targetFds[referenced] = targets[referenced].FileDescriptor.DangerousFileDescriptor;
            }

            T result = Inside(targetFds, originalFds, kinds, body, out int failed, out int errno);
            if (failed >= 0)
            {
                NamespaceHandle target = targets[failed];
                throw new LinuxSyscallException(errno, "setns", target.Path ?? target.ToString(), SetnsHint(target.Kind));
            }

            return result;
        }
        finally
        {
            for (int i = 0; i < referenced; i++)
            {
                targets[i].FileDescriptor.DangerousRelease();
            }

            foreach (SafeFileDescriptor? original in originals)
            {
                original?.Dispose();
            }
        }
    }

    /// <summary>
    /// The part that runs inside: setns into each target, the body, setns back. No managed method but the body
    /// is entered (see <see cref="NamespaceSyscalls"/>). If entering target <c>i</c> fails, the ones entered are
    /// left again and <paramref name="failedIndex"/> is <c>i</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Inside<T>(int[] targetFds, int[] originalFds, int[] kinds, Func<T> body, out int failedIndex, out int failedErrno)
    {
        failedIndex = -1;
        failedErrno = 0;
        int entered = 0;
        try
        {
            for (; entered < targetFds.Length; entered++)
            {
                if (NamespaceSyscalls.Setns(targetFds[entered], kinds[entered], out int errno) != 0)
                {
                    failedIndex = entered;
                    failedErrno = errno;
                    return default!;
                }
            }

            return body();
        }
        finally
        {
            while (entered > 0)
            {
                entered--;
                NamespaceSyscalls.Restore(originalFds[entered], kinds[entered]);
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

    private static string? SetnsHint(NamespaceKind kind) => kind switch
    {
        NamespaceKind.Network or NamespaceKind.Uts or NamespaceKind.Ipc => "needs CAP_SYS_ADMIN in the namespace's owning user namespace",
        NamespaceKind.Mount => "needs CAP_SYS_ADMIN and CAP_SYS_CHROOT",
        _ => null,
    };
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    private static readonly object s_runDirectoryGate = new();

    /// <summary>
    /// Creates a new, anonymous network namespace and returns a handle to it. It holds only a down loopback
    /// interface and lives as long as the handle, or anything created inside it (a socket, a process), is open.
    /// Like <c>unshare --net</c>, without moving the caller: a dedicated thread unshares, opens its new namespace
    /// and returns to its own. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="LinuxSyscallException"><c>unshare(CLONE_NEWNET)</c> failed (EPERM without the capability).</exception>
    public static NetworkNamespace CreateAnonymous()
    {
        SafeFileDescriptor fd = NamespaceThread.RunDedicated(UnshareAndOpen);
        return new NetworkNamespace(NamespaceHandle.FromOwnedDescriptor(fd, NamespaceKind.Network, null), null);
    }

    /// <summary>
    /// Creates a named network namespace exactly as <c>ip netns add NAME</c> does: makes <c>/run/netns</c> a shared
    /// mount (a bind mount of itself first if it is not a mount point), creates <c>/run/netns/NAME</c> with
    /// <c>O_CREAT | O_EXCL</c>, and on a dedicated thread unshares a new network namespace, bind-mounts
    /// <c>/proc/thread-self/ns/net</c> onto the file and returns to its own namespace. It then shows in
    /// <c>ip netns list</c> and works with <c>ip netns exec NAME</c>, and stays until <see cref="Delete(string)"/>.
    /// If a step fails, what was made is removed (no <c>/run/netns/NAME</c> file or bind mount is left; making
    /// <c>/run/netns</c> itself a shared mount is kept, as <c>ip netns add</c> keeps it) and the exception says
    /// whether that undo succeeded. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c> (empty, <c>.</c>, <c>..</c>, <c>/</c>, NUL or control characters, over 255 bytes).</exception>
    /// <exception cref="LinuxSyscallException">A step failed: EEXIST when the name is taken, EPERM without the capability. What was made was removed; the message names the step and says "undone".</exception>
    /// <exception cref="UndoFailedException">A step failed and removing what was made failed too; <see cref="UndoFailedException.LeftBehind"/> names it (remove it with <c>ip netns delete NAME</c>).</exception>
    /// <remarks>Logged under <c>LinuxIsolation.Namespaces</c> (see <see cref="LinuxIsolationLogging"/>).</remarks>
    public static NetworkNamespace CreateNamed(string name) => CreateNamed(name, NamedNamespaceFault.None);

    /// <summary>
    /// Deletes the named network namespace as <c>ip netns delete NAME</c> does: <c>umount2(/run/netns/NAME,
    /// MNT_DETACH)</c> then <c>unlink</c>. The namespace itself ends when no process, handle or socket holds it.
    /// Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    /// <exception cref="LinuxSyscallException">No such namespace (ENOENT), or unmounting or removing it failed.</exception>
    public static void Delete(string name)
    {
        NetworkNamespaceName.Validate(name);
        string path = PathOf(name);
        try
        {
            NamespaceHandle.Unbind(path);
        }
        catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
        {
            throw new LinuxSyscallException(e.Errno, e.Syscall, path, $"no network namespace named '{name}' (ip netns list)");
        }
    }

    /// <summary>
    /// The steps of <see cref="CreateNamed(string)"/>, each undone when a later one fails: make <c>/run/netns</c>
    /// a shared mount (kept, as <c>ip netns add</c> keeps it), create the file (undo: unlink), unshare and bind
    /// mount on a dedicated thread (undo: umount2), open the namespace (undo: close).
    /// </summary>
    /// <param name="name">The namespace name.</param>
    /// <param name="fault">A real cause to inject (a bind source that does not exist, an open that fails).</param>
    /// <param name="steps">Test seam: a step made to fail after doing its work, or an undo made to fail.</param>
    internal static NetworkNamespace CreateNamed(string name, NamedNamespaceFault fault, StepFault? steps = null)
    {
        NetworkNamespaceName.Validate(name);
        string path = PathOf(name);
        var op = new MultiStepOperation(LinuxIsolationLogging.Namespaces, "create named network namespace", name, steps);
        op.Step("make /run/netns a shared mount", EnsureRunDirectory);
        op.Step($"create {path}", () =>
        {
            try
            {
                NamespaceHandle.CreateExclusive(path);
            }
            catch (LinuxSyscallException e) when (e.Errno == Errno.EEXIST)
            {
                throw new LinuxSyscallException(e.Errno, e.Syscall, path, $"a network namespace named '{name}' already exists; nothing was changed");
            }
        });
        op.OnUndo(path, $"rm {path}", () =>
        {
            if (Interop.unlink(path) != 0)
            {
                throw LinuxSyscallException.FromLastError("unlink", path);
            }
        });

        byte[] target = NulTerminated(path);
        byte[] source = NulTerminated(fault == NamedNamespaceFault.BindMount ? "/proc/thread-self/ns/absent" : "/proc/thread-self/ns/net");
        op.Step("unshare(CLONE_NEWNET) and bind-mount it", () =>
        {
            (string? step, int errno) = NamespaceThread.RunDedicated(() => UnshareAndBind(source, target));
            if (step is not null)
            {
                throw new LinuxSyscallException(errno, step, path, errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null);
            }
        });
        op.OnUndo($"the bind mount on {path}", $"umount {path}", () =>
        {
            if (Interop.umount2(path, Interop.MNT_DETACH) != 0)
            {
                throw LinuxSyscallException.FromLastError("umount2(MNT_DETACH)", path);
            }
        });

        NamespaceHandle handle = op.Step("open the namespace", () =>
        {
            if (fault == NamedNamespaceFault.OpenAfterMount)
            {
                throw new LinuxSyscallException(24, "open", path, "injected failure");
            }

            return NamespaceHandle.OpenPath(path, NamespaceKind.Network);
        });
        op.OnUndo("the namespace descriptor", "(closed with the process)", handle.Dispose);
        op.Complete();
        return new NetworkNamespace(handle, name);
    }

    /// <summary>
    /// As <c>ip netns add</c>: <c>mkdir -p /run/netns</c>, then <c>mount --make-rshared /run/netns</c>, first making it a
    /// bind mount of itself if it is not a mount point (EINVAL), so namespaces bound below it propagate to every
    /// mount namespace that shares it.
    /// </summary>
    private static void EnsureRunDirectory()
    {
        lock (s_runDirectoryGate)
        {
            if (Interop.mkdir(RunDirectory, 0x1ed /* 0755 */) != 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
            {
                throw LinuxSyscallException.FromLastError("mkdir", RunDirectory);
            }

            bool madeBindMount = false;
            while (Interop.mount("", RunDirectory, "none", Interop.MS_SHARED | Interop.MS_REC, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINVAL || madeBindMount)
                {
                    throw new LinuxSyscallException(errno, "mount(MS_SHARED|MS_REC)", RunDirectory, errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null);
                }

                if (Interop.mount(RunDirectory, RunDirectory, "none", Interop.MS_BIND | Interop.MS_REC, 0) != 0)
                {
                    throw LinuxSyscallException.FromLastError("mount(MS_BIND|MS_REC)", RunDirectory);
                }

                madeBindMount = true;
            }
        }
    }

    /// <summary>On a dedicated thread: unshare a network namespace, open it, and return to the thread's own.</summary>
    private static unsafe SafeFileDescriptor UnshareAndOpen()
    {
        NamespaceSyscalls.EnsureLoaded();
        using SafeFileDescriptor original = NamespaceThread.OpenOwn(NamespaceKind.Network);
        int fd = UnshareAndOpenInside(original.DangerousFileDescriptor, out string? step, out int errno);
        if (step is not null)
        {
            throw new LinuxSyscallException(errno, step, step == "open" ? "/proc/thread-self/ns/net" : null, errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null);
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>The part inside: one system call in the new namespace, errno kept, then straight back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int UnshareAndOpenInside(int originalFd, out string? step, out int errno)
    {
        if (NamespaceSyscalls.Unshare(Interop.CLONE_NEWNET, out errno) != 0)
        {
            step = "unshare(CLONE_NEWNET)";
            return -1;
        }

        int fd;
        fixed (byte* path = "/proc/thread-self/ns/net\0"u8)
        {
            fd = NamespaceSyscalls.Open(path, Interop.O_RDONLY | Interop.O_CLOEXEC, 0, out errno);
        }

        NamespaceSyscalls.Restore(originalFd, Interop.CLONE_NEWNET);
        step = fd < 0 ? "open" : null;
        return fd;
    }

    /// <summary>
    /// On a dedicated thread: unshare a network namespace, bind-mount it onto <paramref name="target"/>, and return
    /// to the thread's own. Returns the failed step and errno, or a null step.
    /// </summary>
    private static (string? Step, int Errno) UnshareAndBind(byte[] source, byte[] target)
    {
        NamespaceSyscalls.EnsureLoaded();
        using SafeFileDescriptor original = NamespaceThread.OpenOwn(NamespaceKind.Network);
        string? step = UnshareAndBindInside(original.DangerousFileDescriptor, source, target, out int errno);
        return (step, errno);
    }

    /// <summary>
    /// The part inside: one system call in the new namespace, errno kept, then straight back. The mount namespace
    /// is shared with every thread, so the bind mount is visible to the whole process (and, /run/netns being
    /// shared, to the mount namespaces that share it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe string? UnshareAndBindInside(int originalFd, byte[] source, byte[] target, out int errno)
    {
        if (NamespaceSyscalls.Unshare(Interop.CLONE_NEWNET, out errno) != 0)
        {
            return "unshare(CLONE_NEWNET)";
        }

        int rc;
        fixed (byte* s = source, t = target, none = "none\0"u8)
        {
            rc = NamespaceSyscalls.Mount(s, t, none, Interop.MS_BIND, out errno);
        }

        NamespaceSyscalls.Restore(originalFd, Interop.CLONE_NEWNET);
        return rc == 0 ? null : "mount(MS_BIND)";
    }

    private static byte[] NulTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

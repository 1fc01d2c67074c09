using System;
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
    /// If a step fails, what was made is removed (no file, no mount is left) and the exception says whether that
    /// undo succeeded. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c> (empty, <c>.</c>, <c>..</c>, <c>/</c>, NUL or control characters, over 255 bytes).</exception>
    /// <exception cref="LinuxSyscallException">A step failed: EEXIST when the name is taken, EPERM without the capability.</exception>
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

    internal static NetworkNamespace CreateNamed(string name, NamedNamespaceFault fault)
    {
        NetworkNamespaceName.Validate(name);
        string path = PathOf(name);
        EnsureRunDirectory();
        try
        {
            NamespaceHandle.CreateExclusive(path);
        }
        catch (LinuxSyscallException e) when (e.Errno == Errno.EEXIST)
        {
            throw new LinuxSyscallException(e.Errno, e.Syscall, path, $"a network namespace named '{name}' already exists; nothing was changed");
        }

        byte[] target = NulTerminated(path);
        byte[] source = NulTerminated(fault == NamedNamespaceFault.BindMount ? "/proc/thread-self/ns/absent" : "/proc/thread-self/ns/net");
        (string? step, int errno) failure;
        try
        {
            failure = NamespaceThread.RunDedicated(() => UnshareAndBind(source, target));
        }
        catch (LinuxSyscallException e)
        {
            throw new LinuxSyscallException(e.Errno, e.Syscall, e.Path, Join(e.Detail, Undo(path, mounted: false, name)));
        }

        if (failure.step is not null)
        {
            throw new LinuxSyscallException(failure.errno, failure.step, path, Join(
                failure.errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null, Undo(path, mounted: false, name)));
        }

        try
        {
            if (fault == NamedNamespaceFault.OpenAfterMount)
            {
                throw new LinuxSyscallException(24, "open", path, "injected failure");
            }

            return new NetworkNamespace(NamespaceHandle.OpenPath(path, NamespaceKind.Network), name);
        }
        catch (LinuxSyscallException e)
        {
            throw new LinuxSyscallException(e.Errno, e.Syscall, e.Path, Join(e.Detail, Undo(path, mounted: true, name)));
        }
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
        using SafeFileDescriptor original = NamespaceThread.OpenOwn(NamespaceKind.Network);
        if (Interop.unshare(Interop.CLONE_NEWNET) != 0)
        {
            throw LinuxSyscallException.FromLastError("unshare(CLONE_NEWNET)", null, "needs CAP_SYS_ADMIN");
        }

        // Inside the new namespace: one system call, errno kept, then straight back.
        int fd;
        int errno;
        fixed (byte* path = "/proc/thread-self/ns/net\0"u8)
        {
            fd = Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC, 0);
            errno = Marshal.GetLastPInvokeError();
        }

        NamespaceThread.Restore(original, NamespaceKind.Network);
        if (fd < 0)
        {
            throw new LinuxSyscallException(errno, "open", "/proc/thread-self/ns/net");
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>
    /// On a dedicated thread: unshare a network namespace, bind-mount it onto <paramref name="target"/>, and return
    /// to the thread's own. Returns the failed step and errno, or a null step.
    /// </summary>
    private static unsafe (string? Step, int Errno) UnshareAndBind(byte[] source, byte[] target)
    {
        using SafeFileDescriptor original = NamespaceThread.OpenOwn(NamespaceKind.Network);
        if (Interop.unshare(Interop.CLONE_NEWNET) != 0)
        {
            return ("unshare(CLONE_NEWNET)", Marshal.GetLastPInvokeError());
        }

        // Inside the new namespace: one system call, errno kept, then straight back. The mount namespace is
        // shared with every thread, so the bind mount is visible to the whole process (and, /run/netns being
        // shared, to the mount namespaces that share it).
        int rc;
        int errno;
        fixed (byte* s = source, t = target, none = "none\0"u8)
        {
            rc = Interop.mount(s, t, none, Interop.MS_BIND, 0);
            errno = Marshal.GetLastPInvokeError();
        }

        NamespaceThread.Restore(original, NamespaceKind.Network);
        return rc == 0 ? (null, 0) : ("mount(MS_BIND)", errno);
    }

    /// <summary>Removes what a failed <see cref="CreateNamed(string)"/> made and describes the outcome.</summary>
    private static string Undo(string path, bool mounted, string name)
    {
        try
        {
            if (mounted)
            {
                NamespaceHandle.Unbind(path);
            }
            else if (Interop.unlink(path) != 0)
            {
                throw LinuxSyscallException.FromLastError("unlink", path);
            }

            return $"undone: {path} was removed, nothing is left behind";
        }
        catch (LinuxSyscallException e)
        {
            return $"undoing failed too: {e.Message}; remove it with 'ip netns delete {name}'";
        }
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;

    private static byte[] NulTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

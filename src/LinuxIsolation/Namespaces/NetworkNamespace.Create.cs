using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    private static readonly object s_runDirectoryGate = new();

    /// <summary>The mount id of <c>/run/netns</c> once this process made it a shared mount (0 before).</summary>
    private static ulong s_sharedRunDirectoryMount;

    /// <summary>
    /// Creates a new, anonymous network namespace and returns a handle to it. It holds only a down loopback
    /// interface and lives as long as the handle, or anything created inside it (a socket, a process), is open.
    /// Like <c>unshare --net</c>, without moving the caller: the library's namespace worker thread unshares, opens its
    /// new namespace and returns to its own. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="LinuxSyscallException"><c>unshare(CLONE_NEWNET)</c> failed (EPERM without the capability).</exception>
    public static NetworkNamespace CreateAnonymous() => UnshareAndOpen(routeSocket: false);

    /// <summary>
    /// Creates a new, anonymous network namespace as <see cref="CreateAnonymous()"/> does and, in the same entry of
    /// the library's namespace worker, an rtnetlink client inside it (what <see cref="OpenRtnetlink"/> would open
    /// with one more entry): the cheapest way to create a namespace to configure. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <param name="rtnetlink">The client; the caller disposes it (it keeps the namespace alive while open).</param>
    /// <exception cref="LinuxSyscallException"><c>unshare(CLONE_NEWNET)</c> or <c>socket(2)</c> failed.</exception>
    /// <exception cref="NetlinkException">Configuring or binding the socket failed.</exception>
    public static NetworkNamespace CreateAnonymous(out RtnetlinkClient rtnetlink)
    {
        NetworkNamespace ns = UnshareAndOpen(routeSocket: true);
        try
        {
            rtnetlink = ns.OpenRtnetlink();
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates a named network namespace exactly as <c>ip netns add NAME</c> does: makes <c>/run/netns</c> a shared
    /// mount (a bind mount of itself first if it is not a mount point), creates <c>/run/netns/NAME</c> with
    /// <c>O_CREAT | O_EXCL</c>, and on the library's namespace worker thread unshares a new network namespace, bind-mounts
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
    /// Creates a named network namespace as <see cref="CreateNamed(string)"/> does (<c>ip netns add NAME</c>) and, in
    /// the same entry of the library's namespace worker, an rtnetlink client inside it (what <see cref="OpenRtnetlink"/>
    /// would open with one more entry): the cheapest way to create a container's namespace and configure it. If the
    /// client cannot be made, the namespace is deleted again. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <param name="name">The namespace's name.</param>
    /// <param name="rtnetlink">The client; the caller disposes it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c>.</exception>
    /// <exception cref="LinuxSyscallException">A step failed (EEXIST when the name is taken); what was made was removed.</exception>
    /// <exception cref="NetlinkException">Configuring or binding the client's socket failed; the namespace was deleted.</exception>
    /// <exception cref="UndoFailedException">A step failed and removing what was made failed too.</exception>
    public static NetworkNamespace CreateNamed(string name, out RtnetlinkClient rtnetlink)
    {
        NetworkNamespace ns = CreateNamed(name, NamedNamespaceFault.None, null, routeSocket: true);
        try
        {
            rtnetlink = ns.OpenRtnetlink();
            return ns;
        }
        catch
        {
            ns.Dispose();
            Delete(name);
            throw;
        }
    }

    /// <summary>
    /// Creates a named network namespace as <see cref="CreateNamed(string)"/> does (<c>ip netns add NAME</c>), with
    /// <see cref="DeleteOnDispose"/> set as given: with true, disposing the object also deletes the name
    /// (<c>ip netns delete NAME</c>), so a <c>using</c> declaration leaves nothing behind. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <param name="name">The namespace's name.</param>
    /// <param name="deleteOnDispose">Whether <see cref="Dispose"/> deletes the name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c>.</exception>
    /// <exception cref="LinuxSyscallException">A step failed (EEXIST when the name is taken); what was made was removed.</exception>
    /// <exception cref="UndoFailedException">A step failed and removing what was made failed too.</exception>
    public static NetworkNamespace CreateNamed(string name, bool deleteOnDispose)
    {
        NetworkNamespace ns = CreateNamed(name, NamedNamespaceFault.None);
        ns.DeleteOnDispose = deleteOnDispose;
        return ns;
    }

    /// <summary>
    /// Creates a named network namespace and an rtnetlink client inside it, as <see cref="CreateNamed(string, out RtnetlinkClient)"/>
    /// does, with <see cref="DeleteOnDispose"/> set as given.
    /// </summary>
    /// <param name="name">The namespace's name.</param>
    /// <param name="deleteOnDispose">Whether <see cref="Dispose"/> deletes the name.</param>
    /// <param name="rtnetlink">The client; the caller disposes it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c>.</exception>
    /// <exception cref="LinuxSyscallException">A step failed (EEXIST when the name is taken); what was made was removed.</exception>
    /// <exception cref="NetlinkException">Configuring or binding the client's socket failed; the namespace was deleted.</exception>
    /// <exception cref="UndoFailedException">A step failed and removing what was made failed too.</exception>
    public static NetworkNamespace CreateNamed(string name, bool deleteOnDispose, out RtnetlinkClient rtnetlink)
    {
        NetworkNamespace ns = CreateNamed(name, out rtnetlink);
        ns.DeleteOnDispose = deleteOnDispose;
        return ns;
    }

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
    /// mount on the namespace worker (undo: umount2), open the namespace (undo: close).
    /// </summary>
    /// <param name="name">The namespace name.</param>
    /// <param name="fault">A real cause to inject (a bind source that does not exist, an open that fails).</param>
    /// <param name="steps">Test seam: a step made to fail after doing its work, or an undo made to fail.</param>
    /// <param name="routeSocket">Also make a <c>NETLINK_ROUTE</c> socket inside, in the same worker entry, for the first <see cref="OpenRtnetlink"/>.</param>
    internal static NetworkNamespace CreateNamed(string name, NamedNamespaceFault fault, StepFault? steps = null, bool routeSocket = false)
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
        SafeFileDescriptor? preparedSocket = null;
        op.Step("unshare(CLONE_NEWNET) and bind-mount it", () =>
        {
            (string? step, int errno, int socket) = UnshareAndBind(source, target, routeSocket);
            if (step is not null)
            {
                throw new LinuxSyscallException(errno, step, path, errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null);
            }

            preparedSocket = socket >= 0 ? new SafeFileDescriptor(socket, ownsHandle: true) : null;
        });
        op.OnUndo($"the bind mount on {path}", $"umount {path}", () =>
        {
            if (Interop.umount2(path, Interop.MNT_DETACH) != 0)
            {
                throw LinuxSyscallException.FromLastError("umount2(MNT_DETACH)", path);
            }
        });

        try
        {
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
            return new NetworkNamespace(handle, name) { _preparedRouteSocket = preparedSocket };
        }
        catch
        {
            preparedSocket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// As <c>ip netns add</c>: <c>mkdir -p /run/netns</c>, then <c>mount --make-rshared /run/netns</c>, first making it a
    /// bind mount of itself if it is not a mount point (EINVAL), so namespaces bound below it propagate to every
    /// mount namespace that shares it.
    /// </summary>
    /// <remarks>
    /// Done once per process: afterwards a <c>statx</c> of <c>/run/netns</c> whose mount id is still the one made shared
    /// (Linux 5.8) stands for it, where <c>ip netns add</c> changes the propagation of every mount below it each time.
    /// </remarks>
    private static void EnsureRunDirectory()
    {
        if (Volatile.Read(ref s_sharedRunDirectoryMount) is ulong known && known != 0 &&
            Interop.statx(RunDirectory, Interop.STATX_MNT_ID, out Interop.statx_t now) == 0 &&
            (now.stx_mask & Interop.STATX_MNT_ID) != 0 && now.stx_mnt_id == known)
        {
            return;
        }

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

            if (Interop.statx(RunDirectory, Interop.STATX_MNT_ID, out Interop.statx_t st) == 0 && (st.stx_mask & Interop.STATX_MNT_ID) != 0)
            {
                Volatile.Write(ref s_sharedRunDirectoryMount, st.stx_mnt_id);
            }
        }
    }

    /// <summary>
    /// On the namespace worker: unshare a network namespace, open it, optionally create a <c>NETLINK_ROUTE</c> socket
    /// in it (kept for the first <see cref="OpenRtnetlink"/>), and return.
    /// </summary>
    private static unsafe NetworkNamespace UnshareAndOpen(bool routeSocket)
    {
        NamespaceSequence s = default;
        s.Entry = NamespaceEntry.Unshare;
        s.NamespaceType = Interop.CLONE_NEWNET;
        s.Action = NamespaceAction.Open;
        s.Flags = Interop.O_RDONLY | Interop.O_CLOEXEC;
        s.ThenNetlinkProtocol = routeSocket ? (int)NetlinkProtocol.Route : -1;
        fixed (byte* path = "/proc/thread-self/ns/net\0"u8)
        {
            s.Path = path;
            NamespaceWorker.Run(&s);
        }

        if (s.Failed != NamespaceStep.None)
        {
            bool open = s.Failed == NamespaceStep.Action;
            throw new LinuxSyscallException(s.Errno, open ? "open" : "unshare(CLONE_NEWNET)", open ? "/proc/thread-self/ns/net" : null, s.Errno == Errno.EPERM ? "needs CAP_SYS_ADMIN" : null);
        }

        SafeFileDescriptor? socket = s.NetlinkSocket >= 0 ? new SafeFileDescriptor(s.NetlinkSocket, ownsHandle: true) : null;
        try
        {
            return new NetworkNamespace(NamespaceHandle.FromOwnedDescriptor(new SafeFileDescriptor(s.Descriptor, ownsHandle: true), NamespaceKind.Network, null), null)
            {
                _preparedRouteSocket = socket,
            };
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// On the namespace worker: unshare a network namespace, bind-mount it onto <paramref name="target"/>, optionally
    /// create a <c>NETLINK_ROUTE</c> socket in it (kept for the first <see cref="OpenRtnetlink"/>; -1 when not asked
    /// for or when that failed), and return. The mount namespace is shared with every thread, so the bind mount is visible to the whole process
    /// (and, /run/netns being shared, to the mount namespaces that share it). Returns the failed step (null for
    /// none), its errno, and the socket.
    /// </summary>
    private static unsafe (string? Step, int Errno, int Socket) UnshareAndBind(byte[] source, byte[] target, bool routeSocket)
    {
        NamespaceSequence s = default;
        s.Entry = NamespaceEntry.Unshare;
        s.NamespaceType = Interop.CLONE_NEWNET;
        s.Action = NamespaceAction.BindMount;
        s.ThenNetlinkProtocol = routeSocket ? (int)NetlinkProtocol.Route : -1;
        fixed (byte* src = source, dst = target)
        {
            s.Source = src;
            s.Path = dst;
            NamespaceWorker.Run(&s);
        }

        string? step = s.Failed switch
        {
            NamespaceStep.None => null,
            NamespaceStep.Enter => "unshare(CLONE_NEWNET)",
            _ => "mount(MS_BIND)",
        };
        return (step, s.Errno, s.NetlinkSocket);
    }

    private static byte[] NulTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}

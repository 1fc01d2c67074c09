using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// An open namespace of any kind: a file descriptor on its nsfs file (opened <c>O_CLOEXEC</c>), owned by a
/// <see cref="SafeFileDescriptor"/>. The namespace stays alive at least as long as the handle is open.
/// </summary>
/// <remarks>
/// <para>
/// A handle never moves a thread on its own: code runs inside a namespace only through <see cref="Run{T}(Func{T})"/>,
/// which follows the thread rule (a dedicated new thread enters, runs the delegate, and returns before it ends).
/// To start a process inside namespaces, pass the handle to the process spawn API, which joins it in the child.
/// </para>
/// <para>Opening another process's namespace needs ptrace read access to it (root, or the same user).</para>
/// </remarks>
public sealed class NamespaceHandle : IDisposable
{
    private NamespaceHandle(SafeFileDescriptor fileDescriptor, NamespaceKind kind, NamespaceId id, string? path)
    {
        FileDescriptor = fileDescriptor;
        Kind = kind;
        Id = id;
        Path = path;
    }

    /// <summary>The kind of namespace.</summary>
    public NamespaceKind Kind { get; }

    /// <summary>The namespace's identity (nsfs device and inode), read when it was opened.</summary>
    public NamespaceId Id { get; }

    /// <summary>The path it was opened from (e.g. <c>/proc/1234/ns/net</c> or <c>/run/netns/blue</c>), or null.</summary>
    public string? Path { get; }

    /// <summary>The owned file descriptor; pass it to <c>setns(2)</c> in a child process or to rtnetlink (<c>IFLA_NET_NS_FD</c>).</summary>
    public SafeFileDescriptor FileDescriptor { get; }

    /// <summary>
    /// Opens the calling thread's namespace of <paramref name="kind"/> (<c>/proc/thread-self/ns/KIND</c>).
    /// Equivalent to <c>readlink /proc/thread-self/ns/KIND</c> for identity. Needs no capability.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    /// <exception cref="LinuxSyscallException">The open failed (e.g. ENOENT: the kernel lacks this kind).</exception>
    public static NamespaceHandle OpenCurrentThread(NamespaceKind kind) =>
        OpenKnown("/proc/thread-self/ns/" + kind.ProcName(), kind);

    /// <summary>
    /// Opens the namespace of <paramref name="kind"/> of process <paramref name="pid"/> (<c>/proc/PID/ns/KIND</c>, the
    /// file <c>nsenter --target PID</c> opens). Needs ptrace read access to the process.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pid"/> is not positive, or <paramref name="kind"/> is not a defined kind.</exception>
    /// <exception cref="LinuxSyscallException">No such process (ENOENT), or no access (EACCES).</exception>
    public static NamespaceHandle OpenProcess(int pid, NamespaceKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return OpenKnown(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/{kind.ProcName()}"), kind);
    }

    /// <summary>Opens the namespace of <paramref name="kind"/> of thread <paramref name="threadId"/> of process <paramref name="pid"/> (<c>/proc/PID/task/TID/ns/KIND</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not positive, or <paramref name="kind"/> is not a defined kind.</exception>
    /// <exception cref="LinuxSyscallException">No such thread (ENOENT), or no access (EACCES).</exception>
    public static NamespaceHandle OpenThread(int pid, int threadId, NamespaceKind kind)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threadId);
        return OpenKnown(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/task/{threadId}/ns/{kind.ProcName()}"), kind);
    }

    /// <summary>
    /// Opens a namespace file at <paramref name="path"/>: a <c>/proc/PID/ns/KIND</c> file or a bind mount of one
    /// (e.g. <c>/run/netns/NAME</c>). The kind is asked of the kernel (<c>NS_GET_NSTYPE</c>, Linux 4.11).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or contains NUL.</exception>
    /// <exception cref="LinuxSyscallException">The open failed, or the file is not a namespace (ENOTTY from the ioctl).</exception>
    public static NamespaceHandle OpenPath(string path)
    {
        ValidatePath(path);
        SafeFileDescriptor fd = OpenFile(path);
        try
        {
            int type = Interop.ioctl(fd, Interop.NS_GET_NSTYPE);
            if (type < 0)
            {
                throw LinuxSyscallException.FromLastError("ioctl(NS_GET_NSTYPE)", path, "not a namespace file: a /proc/PID/ns/KIND file or a bind mount of one was expected");
            }

            return new NamespaceHandle(fd, (NamespaceKind)type, ReadId(fd, path), path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="OpenPath(string)"/>, and checks that the namespace is of <paramref name="expectedKind"/>.</summary>
    /// <exception cref="ArgumentException">The path is invalid, or the namespace is of another kind.</exception>
    /// <exception cref="LinuxSyscallException">The open failed, or the file is not a namespace.</exception>
    public static NamespaceHandle OpenPath(string path, NamespaceKind expectedKind)
    {
        _ = expectedKind.ProcName();
        NamespaceHandle handle = OpenPath(path);
        if (handle.Kind != expectedKind)
        {
            NamespaceKind actual = handle.Kind;
            handle.Dispose();
            throw new ArgumentException($"'{path}' is a {actual.ProcName()} namespace, not a {expectedKind.ProcName()} namespace.", nameof(path));
        }

        return handle;
    }

    /// <summary>True when both handles refer to the same namespace (same kind, nsfs device and inode).</summary>
    public bool IsSameAs(NamespaceHandle other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Kind == other.Kind && Id == other.Id;
    }

    /// <summary>
    /// Makes the namespace outlive every process and handle by bind-mounting it onto <paramref name="path"/>, as
    /// <c>ip netns add</c> / <c>ip netns attach</c> do for <c>/run/netns/NAME</c>: the file is created with
    /// <c>O_CREAT | O_EXCL</c> (it must not exist), then <c>mount --bind /proc/self/fd/FD PATH</c>. If the mount
    /// fails the file is removed again. Undo with <see cref="RemovePersistent"/>. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <remarks>
    /// The directory's mount should be a shared mount (as <c>/run/netns</c> is) for other mount namespaces to see
    /// the binding. A mount namespace cannot be bound inside itself (the kernel refuses with EINVAL).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is not absolute or contains NUL.</exception>
    /// <exception cref="LinuxSyscallException">The file exists (EEXIST), or the bind mount failed.</exception>
    public void MakePersistent(string path)
    {
        ValidatePath(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("The path must be absolute.", nameof(path));
        }

        ObjectDisposedException.ThrowIf(FileDescriptor.IsClosed, this);
        CreateExclusive(path);
        bool added = false;
        try
        {
            FileDescriptor.DangerousAddRef(ref added);
            string source = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{FileDescriptor.DangerousFileDescriptor}");
            if (Interop.mount(source, path, "none", Interop.MS_BIND, 0) != 0)
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                string undo = Interop.unlink(path) == 0 ? "the file was removed again" : $"removing the file failed too: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}";
                throw new LinuxSyscallException(errno, "mount(MS_BIND)", path, undo);
            }
        }
        finally
        {
            if (added)
            {
                FileDescriptor.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Removes a binding made by <see cref="MakePersistent"/> (or by <c>ip netns add</c>): <c>umount2(path,
    /// MNT_DETACH)</c> then <c>unlink(path)</c>, as <c>ip netns delete</c> does. The namespace itself ends when
    /// nothing else holds it. A file that is no longer a mount point is just removed. Needs CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or contains NUL.</exception>
    /// <exception cref="LinuxSyscallException">The file does not exist (ENOENT), or unmounting or removing it failed.</exception>
    public static void RemovePersistent(string path)
    {
        ValidatePath(path);
        Unbind(path);
    }

    /// <summary>
    /// Runs <paramref name="action"/> inside this namespace and returns its result: a new dedicated thread
    /// enters (<c>setns</c>), runs it, and returns to its own namespace before it ends; if returning fails the
    /// process is terminated (<see cref="Environment.FailFast(string)"/>). Like <c>nsenter</c> for a delegate.
    /// Supported kinds: network, UTS, IPC, cgroup and mount. Needs CAP_SYS_ADMIN in the namespace's owner.
    /// </summary>
    /// <remarks>
    /// The delegate must be synchronous and short: no <c>await</c>, no tasks, timers or thread-pool work, no new
    /// threads and no <c>Process</c> APIs. Threads started from inside (including runtime threads) would be
    /// created inside the namespace and stay there. Objects bound to a namespace at creation (sockets, opened
    /// <c>/proc/sys</c> files) may be created inside and used anywhere afterwards.
    /// </remarks>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is a task type (asynchronous work cannot run inside a namespace).</exception>
    /// <exception cref="NotSupportedException">The kind is user, PID or time (see <see cref="Run{T}(IReadOnlyList{NamespaceHandle}, Func{T})"/>).</exception>
    /// <exception cref="LinuxSyscallException"><c>setns</c> failed (e.g. EPERM).</exception>
    public T Run<T>(Func<T> action) => Run([this], action);

    /// <summary>Runs <paramref name="action"/> inside this namespace; see <see cref="Run{T}(Func{T})"/>.</summary>
    /// <exception cref="NotSupportedException">The kind is user, PID or time.</exception>
    /// <exception cref="LinuxSyscallException"><c>setns</c> failed.</exception>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<object?>([this], () =>
        {
            action();
            return null;
        });
    }

    /// <summary>
    /// Runs <paramref name="action"/> inside several namespaces at once (e.g. a network and a UTS namespace), on a
    /// dedicated thread as <see cref="Run{T}(Func{T})"/> does; they are entered in order and left in reverse order.
    /// </summary>
    /// <remarks>
    /// User namespaces cannot be entered by a thread of a multithreaded process (the kernel refuses), and PID and
    /// time namespaces only affect children a thread starts, which must not happen here: those kinds are joined by
    /// a new process through the spawn API instead.
    /// </remarks>
    /// <exception cref="ArgumentException">The list is empty, holds null or two of one kind, or <typeparamref name="T"/> is a task type.</exception>
    /// <exception cref="NotSupportedException">A namespace is a user, PID or time namespace.</exception>
    /// <exception cref="ObjectDisposedException">A handle is closed.</exception>
    /// <exception cref="LinuxSyscallException"><c>setns</c> failed.</exception>
    public static T Run<T>(IReadOnlyList<NamespaceHandle> namespaces, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(action);
        RejectTaskType<T>();
        if (namespaces.Count == 0)
        {
            throw new ArgumentException("At least one namespace is needed.", nameof(namespaces));
        }

        var targets = new NamespaceHandle[namespaces.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            NamespaceHandle handle = namespaces[i] ?? throw new ArgumentException("The list holds null.", nameof(namespaces));
            ObjectDisposedException.ThrowIf(handle.FileDescriptor.IsClosed, handle);
            if (handle.Kind is NamespaceKind.User or NamespaceKind.Pid or NamespaceKind.Time)
            {
                throw new NotSupportedException($"A delegate cannot run inside a {handle.Kind.ProcName()} namespace: " + (handle.Kind == NamespaceKind.User
                    ? "the kernel lets only a single-threaded process join a user namespace."
                    : "it only applies to child processes; start a process in it with the spawn API instead."));
            }

            for (int j = 0; j < i; j++)
            {
                if (targets[j].Kind == handle.Kind)
                {
                    throw new ArgumentException($"Two {handle.Kind.ProcName()} namespaces were given.", nameof(namespaces));
                }
            }

            targets[i] = handle;
        }

        return NamespaceThread.RunDedicated(() => NamespaceThread.EnterAndRun(targets, action));
    }

    /// <summary>Formats like <c>readlink /proc/PID/ns/KIND</c>: <c>net:[4026531840]</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind.ProcName()}:[{Id.Inode}]");

    /// <summary>Closes the descriptor. The namespace ends when nothing else holds it (no process, handle or bind mount).</summary>
    public void Dispose() => FileDescriptor.Dispose();

    /// <summary>Wraps a descriptor already known to be a namespace of <paramref name="kind"/>; takes ownership.</summary>
    internal static NamespaceHandle FromOwnedDescriptor(SafeFileDescriptor fd, NamespaceKind kind, string? path)
    {
        try
        {
            return new NamespaceHandle(fd, kind, ReadId(fd, path), path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    internal static void RejectTaskType<T>()
    {
        Type type = typeof(T);
        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            throw new ArgumentException($"The delegate returns {type.Name}: asynchronous work cannot run inside a namespace (its continuations would run elsewhere). Pass a synchronous delegate.", nameof(T));
        }
    }

    /// <summary><c>umount2(path, MNT_DETACH)</c> (EINVAL, not a mount point, is fine) then <c>unlink(path)</c>.</summary>
    internal static void Unbind(string path)
    {
        if (Interop.umount2(path, Interop.MNT_DETACH) != 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != Errno.EINVAL)
            {
                throw new LinuxSyscallException(errno, "umount2(MNT_DETACH)", path, errno == Errno.ENOENT ? "no such file" : null);
            }
        }

        if (Interop.unlink(path) != 0)
        {
            throw LinuxSyscallException.FromLastError("unlink", path);
        }
    }

    internal static void CreateExclusive(string path)
    {
        int fd = Interop.open(path, Interop.O_RDONLY | Interop.O_CREAT | Interop.O_EXCL | Interop.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new LinuxSyscallException(errno, "open(O_CREAT|O_EXCL)", path, errno == Errno.EEXIST ? "the file already exists" : null);
        }

        Interop.close(fd);
    }

    private static NamespaceHandle OpenKnown(string path, NamespaceKind kind)
    {
        _ = kind.ProcName();
        return FromOwnedDescriptor(OpenFile(path), kind, path);
    }

    private static SafeFileDescriptor OpenFile(string path)
    {
        int fd = Interop.open(path, Interop.O_RDONLY | Interop.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new LinuxSyscallException(errno, "open", path, errno == Errno.ENOENT && path.StartsWith("/proc/", StringComparison.Ordinal)
                ? "no such process or thread, or this kernel lacks that namespace kind"
                : null);
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    private static NamespaceId ReadId(SafeFileDescriptor fd, string? path)
    {
        if (Interop.statx(fd, Interop.STATX_INO, out Interop.statx_t st) != 0)
        {
            throw LinuxSyscallException.FromLastError("statx", path);
        }

        return new NamespaceId(((ulong)st.stx_dev_major << 32) | st.stx_dev_minor, st.stx_ino);
    }

    private static void ValidatePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("The path contains NUL.", nameof(path));
        }
    }
}

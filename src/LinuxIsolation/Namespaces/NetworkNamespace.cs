using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Threading;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// A network namespace: anonymous (alive while this object, a socket or a process inside holds it) or named
/// the iproute2 way (a bind mount on <c>/run/netns/NAME</c>, seen by <c>ip netns list</c> and usable with
/// <c>ip netns exec NAME</c>). Work happens inside it without moving any caller's thread: sockets are created
/// inside by the library's namespace worker thread and then used from anywhere, and delegates run on a
/// dedicated thread.
/// </summary>
/// <remarks>
/// Creating, deleting, entering and configuring a namespace need CAP_SYS_ADMIN (and CAP_NET_ADMIN for changes
/// inside); opening one needs none beyond access to its file. Disposing closes the handle only: a named
/// namespace stays until <see cref="Delete(string)"/> or <see cref="Delete()"/>, unless <see cref="DeleteOnDispose"/> is set.
/// </remarks>
public sealed partial class NetworkNamespace : IDisposable
{
    /// <summary>The directory iproute2 keeps named network namespaces in.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>
    /// A <c>NETLINK_ROUTE</c> socket made inside the namespace when it was created (in the same entry of the
    /// namespace worker) by the overloads that return a client, taken by their <see cref="OpenRtnetlink"/> instead of
    /// entering again; closed by <see cref="Dispose"/> if never taken.
    /// </summary>
    private SafeFileDescriptor? _preparedRouteSocket;

    private NetworkNamespace(NamespaceHandle handle, string? name)
    {
        Handle = handle;
        Name = name;
    }

    /// <summary>The namespace handle (kind <see cref="NamespaceKind.Network"/>); pass it to the spawn API to start a process inside.</summary>
    public NamespaceHandle Handle { get; }

    /// <summary>The name (file in <c>/run/netns</c>) this namespace was created or opened by, or null.</summary>
    public string? Name { get; }

    /// <summary>The namespace's identity (nsfs device and inode).</summary>
    public NamespaceId Id => Handle.Id;

    /// <summary>
    /// Opens the network namespace <c>/run/netns/NAME</c> (made by <see cref="CreateNamed(string)"/> or <c>ip netns add</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> could leave <c>/run/netns</c> (empty, <c>.</c>, <c>..</c>, <c>/</c>, NUL, over 255 bytes).</exception>
    /// <exception cref="LinuxSyscallException">No such namespace (ENOENT), or the file is not a namespace.</exception>
    public static NetworkNamespace Open(string name)
    {
        NetworkNamespaceName.Validate(name);
        string path = PathOf(name);
        try
        {
            return new NetworkNamespace(NamespaceHandle.OpenPath(path, NamespaceKind.Network), name);
        }
        catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
        {
            throw new LinuxSyscallException(e.Errno, e.Syscall, path, $"no network namespace named '{name}' (ip netns list)");
        }
    }

    /// <summary>Opens the network namespace file at <paramref name="path"/> (a <c>/proc/PID/ns/net</c> file or a bind mount of one).</summary>
    /// <exception cref="ArgumentException">The path is empty or holds NUL, or the file is a namespace of another kind.</exception>
    /// <exception cref="LinuxSyscallException">The open failed, or the file is not a namespace.</exception>
    public static NetworkNamespace OpenPath(string path) => new(NamespaceHandle.OpenPath(path, NamespaceKind.Network), null);

    /// <summary>Opens the network namespace of process <paramref name="pid"/> (<c>/proc/PID/ns/net</c>; like <c>ip netns identify PID</c> without the name lookup). Needs ptrace read access.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pid"/> is not positive.</exception>
    /// <exception cref="LinuxSyscallException">No such process, or no access.</exception>
    public static NetworkNamespace OpenProcess(int pid) => new(NamespaceHandle.OpenProcess(pid, NamespaceKind.Network), null);

    /// <summary>Opens the calling thread's network namespace (<c>/proc/thread-self/ns/net</c>).</summary>
    /// <exception cref="LinuxSyscallException">The open failed.</exception>
    public static NetworkNamespace OpenCurrent() => new(NamespaceHandle.OpenCurrentThread(NamespaceKind.Network), null);

    /// <summary>True when <c>/run/netns/NAME</c> exists (<c>ip netns list</c> would show it).</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is invalid.</exception>
    public static bool Exists(string name)
    {
        NetworkNamespaceName.Validate(name);
        return System.IO.File.Exists(PathOf(name));
    }

    /// <summary>The names of the namespaces in <c>/run/netns</c>, sorted (<c>ip netns list</c>). Empty when the directory does not exist.</summary>
    public static IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(RunDirectory))
        {
            return [];
        }

        var names = new List<string>();
        foreach (string file in System.IO.Directory.EnumerateFiles(RunDirectory))
        {
            names.Add(System.IO.Path.GetFileName(file));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>True when both refer to the same network namespace.</summary>
    public bool IsSameAs(NetworkNamespace other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Handle.IsSameAs(other.Handle);
    }

    /// <summary>
    /// Opens an rtnetlink client whose socket is created inside this namespace (by the namespace worker) and that
    /// then works on this namespace's links, addresses and routes from any thread. Like <c>ip -n NAME ...</c>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException">Entering the namespace failed.</exception>
    /// <exception cref="NetlinkException">The socket could not be opened.</exception>
    public RtnetlinkClient OpenRtnetlink(NetlinkSocketOptions? options = null) =>
        new(OpenNetlinkSocket(NetlinkProtocol.Route, options), ownsSocket: true);

    /// <summary>
    /// Opens a netlink socket of <paramref name="protocol"/> inside this namespace: the library's namespace worker thread inside makes
    /// only the <c>socket(2)</c> call, and the socket is configured and bound outside. It stays bound to this
    /// namespace whichever thread uses it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The options' receive buffer is under 32 KiB.</exception>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException">Entering the namespace or <c>socket(2)</c> failed (EPROTONOSUPPORT for a protocol this kernel lacks).</exception>
    /// <exception cref="NetlinkException">Configuring or binding the socket failed.</exception>
    public NetlinkSocket OpenNetlinkSocket(NetlinkProtocol protocol, NetlinkSocketOptions? options = null)
    {
        if (options is not null && options.ReceiveBufferSize < NetlinkSocketOptions.DefaultReceiveBufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be at least 32 KiB.");
        }

        ThrowIfDisposed();
        SafeFileDescriptor fd = (protocol == NetlinkProtocol.Route ? Interlocked.Exchange(ref _preparedRouteSocket, null) : null)
            ?? CreateSocketInside(Interop.AF_NETLINK, Interop.SOCK_RAW, (int)protocol, $"socket(AF_NETLINK, {protocol})");
        return NetlinkSocket.FromDescriptor(fd, protocol, options);
    }

    /// <summary>
    /// Creates an IP or Unix socket inside this namespace (the namespace worker inside makes only the <c>socket(2)</c>
    /// call), e.g. to connect or listen on this namespace's addresses; it stays bound to this namespace whichever
    /// thread uses it. Like running the program under <c>ip netns exec NAME</c>. Raw sockets need CAP_NET_RAW.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The family or type is not one of those supported here.</exception>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException"><c>socket(2)</c> or entering the namespace failed.</exception>
    public Socket OpenSocket(AddressFamily addressFamily, SocketType socketType, ProtocolType protocolType)
    {
        int domain = addressFamily switch
        {
            AddressFamily.Unix => Interop.AF_UNIX,
            AddressFamily.InterNetwork => Interop.AF_INET,
            AddressFamily.InterNetworkV6 => Interop.AF_INET6,
            _ => throw new ArgumentOutOfRangeException(nameof(addressFamily), addressFamily, "Supported families: Unix, InterNetwork, InterNetworkV6."),
        };
        int type = socketType switch
        {
            SocketType.Stream => Interop.SOCK_STREAM,
            SocketType.Dgram => Interop.SOCK_DGRAM,
            SocketType.Raw => Interop.SOCK_RAW,
            SocketType.Seqpacket => Interop.SOCK_SEQPACKET,
            _ => throw new ArgumentOutOfRangeException(nameof(socketType), socketType, "Supported types: Stream, Dgram, Raw, Seqpacket."),
        };
        int protocol = protocolType == ProtocolType.Unspecified ? 0 : (int)protocolType;
        ThrowIfDisposed();
        SafeFileDescriptor fd = CreateSocketInside(domain, type, protocol, $"socket({addressFamily}, {socketType}, {protocolType})");
        try
        {
            return new Socket(new SafeSocketHandle(fd.DangerousGetHandle(), ownsHandle: true));
        }
        finally
        {
            fd.SetHandleAsInvalid();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> inside this namespace on a dedicated thread that returns to its own
    /// namespace before it ends (like <c>ip netns exec NAME</c> for a delegate); see
    /// <see cref="NamespaceHandle.Run{T}(Func{T})"/>. The delegate must not <c>await</c>, start tasks, timers or
    /// threads, or use <c>Process</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is a task type.</exception>
    /// <exception cref="LinuxSyscallException">Entering the namespace failed.</exception>
    public T Run<T>(Func<T> action) => Handle.Run(action);

    /// <summary>Runs <paramref name="action"/> inside this namespace; see <see cref="Run{T}(Func{T})"/>.</summary>
    /// <exception cref="LinuxSyscallException">Entering the namespace failed.</exception>
    public void Run(Action action) => Handle.Run(action);

    /// <summary>
    /// Whether <see cref="Dispose"/> also deletes the name (as <see cref="Delete()"/>), so that
    /// <c>using var ns = NetworkNamespace.CreateNamed(name, deleteOnDispose: true)</c> leaves nothing behind. False
    /// unless set: a named namespace normally outlives the object that made it (<c>ip netns add</c> semantics).
    /// </summary>
    public bool DeleteOnDispose { get; set; }

    /// <summary>
    /// Converts to the <see cref="NetworkNamespaceTarget"/> that rtnetlink calls take, so that this object can be passed
    /// where they want a namespace (<c>rt.CreateVeth("h1", "eth0", ns)</c>, <c>rt.MoveLinkToNamespace("veth1", ns)</c>).
    /// The target refers to this object's descriptor: use it while this object is open.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="ns"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="ns"/> is disposed.</exception>
    public static implicit operator NetworkNamespaceTarget(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.ToNetworkNamespaceTarget();
    }

    /// <summary>The <see cref="NetworkNamespaceTarget"/> of this namespace (what the implicit conversion gives).</summary>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    public NetworkNamespaceTarget ToNetworkNamespaceTarget()
    {
        ThrowIfDisposed();
        return NetworkNamespaceTarget.FromHandle(Handle.FileDescriptor);
    }

    /// <summary>
    /// Deletes this namespace's name, as <see cref="Delete(string)"/> (<c>ip netns delete NAME</c>); the namespace itself
    /// ends when this object is disposed and nothing else holds it. Not an error when the name is already gone.
    /// </summary>
    /// <exception cref="InvalidOperationException">This namespace has no name (anonymous, or opened by path or process).</exception>
    /// <exception cref="LinuxSyscallException">Unmounting or removing the name failed.</exception>
    public void Delete()
    {
        string name = Name ?? throw new InvalidOperationException("This network namespace has no name in /run/netns to delete.");
        try
        {
            NamespaceHandle.Unbind(PathOf(name));
        }
        catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
        {
        }
    }

    /// <summary>
    /// Closes the handle and, when <see cref="DeleteOnDispose"/> is set, deletes the name first (<see cref="Delete()"/>).
    /// Otherwise a named namespace stays (see <see cref="Delete(string)"/>); an anonymous one ends when nothing else holds it.
    /// </summary>
    /// <exception cref="LinuxSyscallException">Deleting the name failed (the handle is closed all the same).</exception>
    public void Dispose()
    {
        try
        {
            if (DeleteOnDispose && Name is not null && !Handle.FileDescriptor.IsClosed)
            {
                Delete();
            }
        }
        finally
        {
            Interlocked.Exchange(ref _preparedRouteSocket, null)?.Dispose();
            Handle.Dispose();
        }
    }

    /// <summary>The path of the named namespace <paramref name="name"/> (assumed valid).</summary>
    internal static string PathOf(string name) => RunDirectory + "/" + name;

    /// <summary>Makes the one <c>socket(2)</c> call inside this namespace, on the namespace worker.</summary>
    private unsafe SafeFileDescriptor CreateSocketInside(int domain, int type, int protocol, string call)
    {
        NamespaceSequence s = default;
        s.Entry = NamespaceEntry.Join;
        s.NamespaceType = Interop.CLONE_NEWNET;
        s.Action = NamespaceAction.Socket;
        s.Domain = domain;
        s.SocketType = type | Interop.SOCK_CLOEXEC;
        s.Protocol = protocol;
        RunJoined(&s);
        if (s.Failed == NamespaceStep.Enter)
        {
            throw new LinuxSyscallException(s.Errno, "setns(CLONE_NEWNET)", Handle.Path ?? Handle.ToString(), "needs CAP_SYS_ADMIN in the namespace's owning user namespace");
        }

        if (s.Failed != NamespaceStep.None)
        {
            throw new LinuxSyscallException(s.Errno, call);
        }

        return new SafeFileDescriptor(s.Descriptor, ownsHandle: true);
    }

    /// <summary>Runs <paramref name="sequence"/> joined to this namespace, holding a reference on its handle meanwhile.</summary>
    internal unsafe void RunJoined(NamespaceSequence* sequence)
    {
        bool added = false;
        Handle.FileDescriptor.DangerousAddRef(ref added);
        try
        {
            sequence->TargetFd = Handle.FileDescriptor.DangerousFileDescriptor;
            NamespaceWorker.Run(sequence);
        }
        finally
        {
            Handle.FileDescriptor.DangerousRelease();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle.FileDescriptor.IsClosed, this);
}

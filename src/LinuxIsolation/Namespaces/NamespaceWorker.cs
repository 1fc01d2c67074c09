using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

/// <summary>How a <see cref="NamespaceSequence"/> gets into its namespace.</summary>
internal enum NamespaceEntry : byte
{
    /// <summary><c>setns(TargetFd, NamespaceType)</c>: an existing namespace.</summary>
    Join,

    /// <summary><c>unshare(NamespaceType)</c>: a new namespace, left again afterwards (it lives on only if the action keeps it).</summary>
    Unshare,
}

/// <summary>The one system call (or two) a <see cref="NamespaceSequence"/> makes inside.</summary>
internal enum NamespaceAction : byte
{
    /// <summary><c>socket(Domain, SocketType, Protocol)</c>; the descriptor is the result.</summary>
    Socket,

    /// <summary><c>open(Path, Flags)</c>; the descriptor is the result.</summary>
    Open,

    /// <summary><c>mount(Source, Path, "none", MS_BIND)</c> (Source: normally <c>/proc/thread-self/ns/net</c>).</summary>
    BindMount,
}

/// <summary>Which part of a <see cref="NamespaceSequence"/> failed.</summary>
internal enum NamespaceStep : byte
{
    /// <summary>Nothing failed.</summary>
    None,

    /// <summary>Entering (setns or unshare).</summary>
    Enter,

    /// <summary>The action (socket, open or bind mount).</summary>
    Action,
}

/// <summary>
/// One of the library's fixed sequences inside a namespace, as data: enter, one or two system calls, restore.
/// Filled in by the caller (paths are NUL-terminated and pinned by the caller for the duration), run by
/// <see cref="NamespaceWorker.Run"/>, which writes the results back.
/// </summary>
internal unsafe struct NamespaceSequence
{
    public NamespaceEntry Entry;
    public NamespaceAction Action;

    /// <summary>A <c>CLONE_NEW*</c> value: the kind of namespace entered.</summary>
    public int NamespaceType;

    /// <summary>For <see cref="NamespaceEntry.Join"/>: the namespace's descriptor (the caller holds a reference on its handle).</summary>
    public int TargetFd;

    public byte* Path;
    public byte* Source;
    public int Flags;
    public int Domain;
    public int SocketType;
    public int Protocol;

    /// <summary>
    /// After a successful <see cref="NamespaceAction.Open"/> or <see cref="NamespaceAction.BindMount"/>, also make an
    /// <c>AF_NETLINK</c> socket of this protocol inside (into <see cref="NetlinkSocket"/>); negative for none. Saves a
    /// second entry when a namespace is created to be configured.
    /// </summary>
    public int ThenNetlinkProtocol;

    /// <summary>Result: the descriptor opened (open or socket), or -1.</summary>
    public int Descriptor;

    /// <summary>Result: the socket of <see cref="ThenNetlinkProtocol"/>, or -1 (also when making it failed: it is optional).</summary>
    public int NetlinkSocket;

    /// <summary>Result: the errno of the failed step.</summary>
    public int Errno;

    /// <summary>Result: which step failed, or <see cref="NamespaceStep.None"/>.</summary>
    public NamespaceStep Failed;
}

/// <summary>
/// The namespace worker of ARCHITECTURE.md's thread rule: one long-lived thread owned by the library, never a
/// thread-pool thread, that runs no caller code. It takes one <see cref="NamespaceSequence"/> at a time: enters
/// the namespace, makes the sequence's system calls (raw libc calls only, see <see cref="NamespaceSyscalls"/>),
/// returns to its own namespace, and only then takes the next. If returning fails, the process is terminated.
/// </summary>
/// <remarks>
/// The worker is started by the first caller (a thread at home under the rule: the library never leaves a thread
/// elsewhere), and its own namespaces, opened when it first needs them, are where it returns after every item. A
/// caller that is itself a dedicated thread running a delegate inside a namespace (<see cref="NamespaceThread"/>)
/// runs the sequence on its own thread instead, relative to where that thread is, so that nesting
/// (<c>ns.Run(() =&gt; other.OpenRtnetlink())</c>) means what it says and the worker is never started from inside.
/// About 4 us per setns against about 1 ms per thread start here: the worker is why creating a namespace and opening
/// a socket in it cost what the kernel costs.
/// </remarks>
internal static unsafe class NamespaceWorker
{
    /// <summary>The worker thread's name, as <c>/proc/self/task/TID/comm</c> shows it.</summary>
    internal const string ThreadName = "lxi-ns-worker";

    private static readonly object s_gate = new();
    private static readonly Queue<(IntPtr Sequence, ManualResetEventSlim Done)> s_queue = new();
    private static Thread? s_thread;
    private static int s_threadId;
    private static long s_completed;

    [ThreadStatic]
    private static ManualResetEventSlim? t_done;

    /// <summary>The worker's thread id (<c>gettid</c>), or 0 before it started.</summary>
    internal static int ThreadId => Volatile.Read(ref s_threadId);

    /// <summary>How many sequences the worker has run (for tests).</summary>
    internal static long Completed => Interlocked.Read(ref s_completed);

    /// <summary>Runs <paramref name="sequence"/> on the worker (or inline on a dedicated thread) and waits for it.</summary>
    internal static void Run(NamespaceSequence* sequence)
    {
        sequence->Descriptor = -1;
        sequence->NetlinkSocket = -1;
        sequence->Errno = 0;
        sequence->Failed = NamespaceStep.None;
        if (NamespaceThread.IsDedicatedThread)
        {
            RunInline(sequence);
            return;
        }

        // No spinning: a sequence takes tens of microseconds to a millisecond (creating a namespace), and on a busy
        // machine a spinning caller takes the CPU the worker needs.
        ManualResetEventSlim done = t_done ??= new ManualResetEventSlim(false, 0);
        done.Reset();
        lock (s_gate)
        {
            if (s_thread is null)
            {
                Start();
            }

            s_queue.Enqueue(((IntPtr)sequence, done));
            Monitor.Pulse(s_gate);
        }

        done.Wait();
    }

    private static void Start()
    {
        NamespaceSyscalls.EnsureLoaded();
        PrepareInside();
        var thread = new Thread(Loop) { IsBackground = true, Name = ThreadName };
        thread.UnsafeStart();
        s_thread = thread;
    }

    /// <summary>Compiles the code that runs inside before any thread goes in, so the JIT has nothing to do there.</summary>
    private static void PrepareInside() =>
        RuntimeHelpers.PrepareMethod(typeof(NamespaceWorker).GetMethod(nameof(Execute), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.MethodHandle);

    private static void Loop()
    {
        Volatile.Write(ref s_threadId, Interop.gettid());
        var home = new HomeNamespaces();
        while (true)
        {
            (IntPtr Sequence, ManualResetEventSlim Done) item;
            lock (s_gate)
            {
                while (s_queue.Count == 0)
                {
                    Monitor.Wait(s_gate);
                }

                item = s_queue.Dequeue();
            }

            var sequence = (NamespaceSequence*)item.Sequence;
            if (home.Get(sequence->NamespaceType, out int homeFd, out int errno))
            {
                Execute(sequence, homeFd);
            }
            else
            {
                sequence->Failed = NamespaceStep.Enter;
                sequence->Errno = errno;
            }

            Interlocked.Increment(ref s_completed);
            item.Done.Set();
        }
    }

    /// <summary>On a dedicated thread: the same sequence, returning to where this thread is now.</summary>
    private static void RunInline(NamespaceSequence* sequence)
    {
        NamespaceSyscalls.EnsureLoaded();
        PrepareInside();
        NamespaceKind kind = (NamespaceKind)sequence->NamespaceType;
        using SafeFileDescriptor own = NamespaceThread.OpenOwn(kind);
        if (kind == NamespaceKind.Mount && Interop.unshare(Interop.CLONE_FS) != 0)
        {
            throw LinuxSyscallException.FromLastError("unshare(CLONE_FS)");
        }

        bool added = false;
        own.DangerousAddRef(ref added);
        try
        {
            Execute(sequence, own.DangerousFileDescriptor);
        }
        finally
        {
            own.DangerousRelease();
        }
    }

    /// <summary>The part inside: enter, the action, restore. Raw libc calls only; errno kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Execute(NamespaceSequence* s, int homeFd)
    {
        int errno;
        int rc = s->Entry == NamespaceEntry.Join
            ? NamespaceSyscalls.Setns(s->TargetFd, s->NamespaceType, out errno)
            : NamespaceSyscalls.Unshare(s->NamespaceType, out errno);
        if (rc != 0)
        {
            s->Failed = NamespaceStep.Enter;
            s->Errno = errno;
            return;
        }

        switch (s->Action)
        {
            case NamespaceAction.Socket:
                s->Descriptor = NamespaceSyscalls.Socket(s->Domain, s->SocketType, s->Protocol, out errno);
                rc = s->Descriptor;
                break;
            case NamespaceAction.Open:
                s->Descriptor = NamespaceSyscalls.Open(s->Path, s->Flags, 0, out errno);
                rc = s->Descriptor;
                break;
            default:
                fixed (byte* none = "none\0"u8)
                {
                    rc = NamespaceSyscalls.Mount(s->Source, s->Path, none, Interop.MS_BIND, out errno);
                }

                break;
        }

        if (rc < 0)
        {
            s->Failed = NamespaceStep.Action;
            s->Errno = errno;
        }
        else if (s->ThenNetlinkProtocol >= 0 && s->Action != NamespaceAction.Socket)
        {
            s->NetlinkSocket = NamespaceSyscalls.Socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, s->ThenNetlinkProtocol, out _);
        }

        NamespaceSyscalls.Restore(homeFd, s->NamespaceType);
    }

    /// <summary>The worker's own namespaces, opened (at home) the first time an item enters one of that kind.</summary>
    private sealed class HomeNamespaces
    {
        private readonly Dictionary<int, SafeFileDescriptor> _fds = [];

        public bool Get(int namespaceType, out int fd, out int errno)
        {
            errno = 0;
            if (_fds.TryGetValue(namespaceType, out SafeFileDescriptor? own))
            {
                fd = own.DangerousFileDescriptor;
                return true;
            }

            fd = -1;
            try
            {
                var kind = (NamespaceKind)namespaceType;
                if (kind == NamespaceKind.Mount && Interop.unshare(Interop.CLONE_FS) != 0)
                {
                    // setns into a mount namespace needs a filesystem context not shared with other threads.
                    errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    return false;
                }

                own = NamespaceThread.OpenOwn(kind);
            }
            catch (LinuxSyscallException e)
            {
                errno = e.Errno;
                return false;
            }

            _fds.Add(namespaceType, own);
            fd = own.DangerousFileDescriptor;
            return true;
        }
    }
}

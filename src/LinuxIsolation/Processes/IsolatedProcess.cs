using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Netlink;
using Microsoft.Extensions.Logging;

namespace LinuxIsolation.Processes;

/// <summary>
/// A process started by <see cref="Start"/> in its own namespaces, root file system, ids, capabilities and
/// limits (what <c>unshare</c>, <c>chroot</c>, <c>nsenter</c>, <c>setpriv</c> and runc do). It is watched
/// through its pidfd (Linux 5.3; waiting needs 5.4) and reaped as soon as it exits, whether or not anyone
/// waits, so it never stays a zombie; <see cref="Kill"/> goes through the pidfd, so a recycled pid is never
/// signalled.
/// </summary>
public sealed class IsolatedProcess : IDisposable
{
    private readonly TaskCompletionSource<ProcessExitStatus> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    internal IsolatedProcess(int id, SafeFileDescriptor pidfd, Stream? standardInput, Stream? standardOutput, Stream? standardError, bool usedClone3, SafeFileDescriptor? seccompListener = null)
    {
        _seccompListener = seccompListener;
        Id = id;
        PidFileDescriptor = pidfd;
        StandardInput = standardInput;
        StandardOutput = standardOutput;
        StandardError = standardError;
        UsedClone3 = usedClone3;
        PidfdWatcher.Instance.Watch(this);
    }

    /// <summary>The process id in the caller's PID namespace.</summary>
    public int Id { get; }

    /// <summary>The pidfd (close-on-exec); pollable, it becomes readable when the process exits.</summary>
    public SafeFileDescriptor PidFileDescriptor { get; }

    /// <summary>The writable end of the standard input pipe, or null when stdin is not <see cref="ProcessStdio.Pipe"/>.</summary>
    public Stream? StandardInput { get; }

    /// <summary>The readable end of the standard output pipe, or null when stdout is not <see cref="ProcessStdio.Pipe"/>.</summary>
    public Stream? StandardOutput { get; }

    /// <summary>The readable end of the standard error pipe, or null when stderr is not <see cref="ProcessStdio.Pipe"/>.</summary>
    public Stream? StandardError { get; }

    /// <summary>Whether the process has exited (and been reaped).</summary>
    public bool HasExited
    {
        get
        {
            ReapIfExited();
            return _exit.Task.IsCompleted;
        }
    }

    /// <summary>How it ended; throws <see cref="InvalidOperationException"/> while it runs.</summary>
    public ProcessExitStatus ExitStatus
    {
        get
        {
            ReapIfExited();
            return _exit.Task.IsCompletedSuccessfully
                ? _exit.Task.Result
                : throw new InvalidOperationException($"Process {Id} has not exited.");
        }
    }

    /// <summary>
    /// The master of the process's pseudo-terminal (<see cref="IsolatedProcessStartInfo.Terminal"/>), close-on-exec,
    /// or null: what the caller reads the program's output from and writes its input to (what runc sends over
    /// <c>--console-socket</c>). Closed by <see cref="Dispose"/>.
    /// </summary>
    public SafeFileDescriptor? TerminalMaster { get; init; }

    /// <summary>
    /// True when the process was started with <see cref="IsolatedProcessStartInfo.StartGatePath"/> and was waiting at
    /// the gate when <see cref="Start"/> returned: its namespaces, mounts and ids are in place, the program has not run.
    /// </summary>
    public bool IsWaitingAtStartGate { get; init; }

    /// <summary>
    /// Lets a process waiting at the start gate <paramref name="startGatePath"/> run its program (writes one byte
    /// to the FIFO; what <c>runc start</c> does). Works from any process. Returns false when no process waits
    /// there (none has the FIFO open: it ran already, or died).
    /// </summary>
    /// <exception cref="LinuxSyscallException">The FIFO cannot be opened or written for another reason.</exception>
    public static unsafe bool ReleaseStartGate(string startGatePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(startGatePath);
        // O_NONBLOCK: with nobody reading, open fails with ENXIO instead of waiting.
        int fd = Interop.open(startGatePath, Interop.O_WRONLY | Interop.O_CLOEXEC | O_NONBLOCK, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENXIO ? false : throw new LinuxSyscallException(errno, "open", startGatePath);
        }

        using var handle = new SafeFileDescriptor(fd, ownsHandle: true);
        byte go = (byte)'0';
        if (Interop.write(handle, &go, 1) != 1)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == EPIPE ? false : throw new LinuxSyscallException(errno, "write", startGatePath);
        }

        return true;
    }

    private const int O_NONBLOCK = 0x800;
    private const int ENXIO = 6;
    private const int EPIPE = 32;

    private SafeFileDescriptor? _seccompListener;

    /// <summary>The seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER), or null (none, or taken).</summary>
    internal SafeFileDescriptor? SeccompListenerHandle => Volatile.Read(ref _seccompListener);

    /// <summary>
    /// Takes the supervisor's end of the process's seccomp filter when <see cref="IsolatedProcessStartInfo.Seccomp"/>
    /// has a <see cref="Seccomp.SeccompActionKind.UserNotify"/> rule: the process's calls stopped by such a rule wait
    /// until the notifier answers them. The first call gets it (and owns it: dispose it to close the listener, which
    /// makes waiting calls fail with ENOSYS); later calls, or a process without such a rule, get false. Until taken,
    /// the listener is closed with this object.
    /// </summary>
    /// <param name="notifier">The notifier, when true.</param>
    public bool TryTakeSeccompNotifier([NotNullWhen(true)] out Seccomp.SeccompNotifier? notifier)
    {
        SafeFileDescriptor? fd = Interlocked.Exchange(ref _seccompListener, null);
        notifier = fd is null ? null : new Seccomp.SeccompNotifier(fd);
        return notifier is not null;
    }

    /// <summary>True when clone3 was used (false: the clone fallback).</summary>
    internal bool UsedClone3 { get; }

    /// <summary>Starts the process described by <paramref name="startInfo"/>; returns once it has exec'd.</summary>
    /// <param name="startInfo">What to start; validated first (<see cref="ArgumentException"/>).</param>
    /// <returns>The running process.</returns>
    /// <exception cref="InvalidOperationException">Called inside <c>NetworkNamespace.Run</c> or <c>NamespaceHandle.Run</c> (use <see cref="IsolatedProcessStartInfo.JoinNamespaces"/>).</exception>
    /// <exception cref="LinuxSyscallException">Opening what the child needs in the parent failed (the cgroup directory, a namespace path, a stdio file, a pipe).</exception>
    /// <exception cref="IsolatedProcessException">A step failed in the child or the parent; the child was killed and reaped and every descriptor made for it closed, so nothing is left behind (the message says "undone"; <see cref="IsolatedProcessException.Step"/> is the step). Logged under <c>LinuxIsolation.Processes</c> (see <see cref="LinuxIsolationLogging"/>).</exception>
    /// <remarks>
    /// Needs CAP_SYS_ADMIN for most namespaces (or a new user namespace), CAP_SETUID/CAP_SETGID for ids and
    /// maps. clone3 with CLONE_INTO_CGROUP is Linux 5.7; older kernels use clone and write cgroup.procs.
    /// Equivalent to <c>unshare --fork --pid --mount-proc ... chroot ROOT PROGRAM</c> and runc's <c>run</c>.
    /// </remarks>
    public static IsolatedProcess Start(IsolatedProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.Validate();
        if (Namespaces.NamespaceThread.IsDedicatedThread)
        {
            // Called from NetworkNamespace.Run/NamespaceHandle.Run: the library's long-lived threads (spawn, pidfd
            // watcher) would be created inside that namespace and stay there (ARCHITECTURE.md's thread rule).
            throw new InvalidOperationException("IsolatedProcess.Start cannot run inside NetworkNamespace.Run or NamespaceHandle.Run: join the namespace with IsolatedProcessStartInfo.JoinNamespaces (NamespaceJoin) instead.");
        }

        if (startInfo.ParentDeathSignal != 0)
        {
            return SpawnThread.Start(() => StartOnThisThread(startInfo));
        }

        return StartOnThisThread(startInfo);
    }

    private static IsolatedProcess StartOnThisThread(IsolatedProcessStartInfo startInfo)
    {
        ILogger logger = LinuxIsolationLogging.Processes;
        long started = Stopwatch.GetTimestamp();
        OperationLog.SpawnStarting(logger, startInfo.FileName, (ulong)startInfo.NewNamespaces, startInfo.Mounts.Count);
        try
        {
            using var request = new SpawnRequest(startInfo);
            IsolatedProcess process = request.Start();
            if (logger.IsEnabled(LogLevel.Information))
            {
                double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                OperationLog.SpawnCompleted(logger, startInfo.FileName, process.Id, milliseconds);
            }

            return process;
        }
        catch (IsolatedProcessException e)
        {
            // lxi_spawn killed and reaped the child and closed every descriptor it made before returning.
            OperationLog.SpawnUndone(logger, e, startInfo.FileName, e.Step);
            e.Data[MultiStepOperationData.Operation] = "start isolated process";
            e.Data[MultiStepOperationData.Step] = e.Step.ToString();
            e.Data[MultiStepOperationData.Undone] = true;
            throw;
        }
    }

    /// <summary>Waits for the process to exit; never blocks a thread-pool thread (a dedicated thread polls the pidfds).</summary>
    /// <param name="cancellationToken">Stops waiting (the process keeps running and is still reaped when it exits).</param>
    public Task<ProcessExitStatus> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        EnsureWatched();
        return _exit.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Blocks the calling thread until the process exits. While the library's watcher thread has not been needed (one
    /// process at a time, waited for synchronously), the calling thread reaps the process itself (waitid P_PIDFD).
    /// </summary>
    public ProcessExitStatus WaitForExit()
    {
        if (!_exit.Task.IsCompleted)
        {
            PidfdWatcher.Instance.TryReapInline(this, block: true);
        }

        return _exit.Task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks up to <paramref name="timeout"/>; true when it exited.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        EnsureWatched();
        return ((IAsyncResult)_exit.Task).AsyncWaitHandle.WaitOne(timeout) && _exit.Task.IsCompleted;
    }

    /// <summary>
    /// Sends <paramref name="signal"/> (default SIGKILL) through the pidfd (pidfd_send_signal, Linux 5.1;
    /// <c>kill -SIG PID</c> without the pid-reuse race). Does nothing once the process has exited.
    /// </summary>
    /// <param name="signal">The signal number, 1 to 64.</param>
    public void Kill(int signal = Interop.SIGKILL)
    {
        if (signal is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(signal), signal, "A signal number is 1 to 64.");
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (HasExited)
        {
            return;
        }

        bool added = false;
        PidFileDescriptor.DangerousAddRef(ref added);
        try
        {
            if (Interop.lxi_pidfd_send_signal(PidFileDescriptor.DangerousFileDescriptor, signal) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Interop.ESRCH)
                {
                    throw new LinuxSyscallException(errno, "pidfd_send_signal", null, $"pid {Id}, signal {signal}");
                }
            }
        }
        finally
        {
            PidFileDescriptor.DangerousRelease();
        }
    }

    /// <summary>
    /// Closes the streams and the pidfd. A running process keeps running and is reaped when it exits;
    /// call <see cref="Kill"/> first to stop it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        EnsureWatched(); // a process disposed before it was reaped is still reaped when it exits
        StandardInput?.Dispose();
        StandardOutput?.Dispose();
        StandardError?.Dispose();
        PidFileDescriptor.Dispose();
        Interlocked.Exchange(ref _seccompListener, null)?.Dispose();
        TerminalMaster?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => HasExited ? $"process {Id} ({ExitStatus})" : $"process {Id}";

    internal void SetExited(ProcessExitStatus status) => _exit.TrySetResult(status);

    /// <summary>Without the watcher thread: reaps the process now if it has exited (waitid WNOHANG).</summary>
    private void ReapIfExited()
    {
        if (!_exit.Task.IsCompleted)
        {
            PidfdWatcher.Instance.TryReapInline(this, block: false);
        }
    }

    /// <summary>Makes sure the watcher thread will complete <see cref="_exit"/> when the process exits.</summary>
    private void EnsureWatched()
    {
        if (!_exit.Task.IsCompleted)
        {
            PidfdWatcher.Instance.EnsureRunning();
        }
    }

    internal void SetWaitFailed(Exception e) => _exit.TrySetException(e);
}

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Processes;

/// <summary>
/// One dedicated background thread polls the pidfds of every running <see cref="IsolatedProcess"/> and an
/// eventfd (to learn of new ones), and reaps each process (waitid P_PIDFD, Linux 5.4) as soon as it exits.
/// No thread-pool thread ever blocks on a process. Each watched pidfd holds a reference on its SafeHandle, so
/// disposing a running process closes the fd only after it has been reaped.
/// </summary>
/// <remarks>
/// The thread is started when it is first needed, not with the first process: a caller that starts one process at a
/// time and waits for it synchronously (a CLI such as lxi, a fresh process's first spawn) reaps it on its own thread
/// (<see cref="TryReapInline"/>), which saves that process a thread start (NativeAOT's Thread.Start spins until the
/// new thread runs) and two cross-thread wake-ups. The thread starts when a second process is watched while one is,
/// and on the first asynchronous or timed wait, or dispose, of a process not yet reaped (<see cref="EnsureRunning"/>);
/// from then on it reaps every process, as before.
/// </remarks>
#pragma warning disable CA1001 // A process-wide singleton that lives as long as the process; its eventfd is never released.
internal sealed unsafe class PidfdWatcher
#pragma warning restore CA1001
{
    private readonly object _gate = new();
    private readonly List<(IsolatedProcess Process, int Fd)> _watched = [];
    private readonly SafeFileDescriptor _wake;
    private Thread? _thread;

    private PidfdWatcher()
    {
        int fd = Interop.eventfd(0, Interop.EFD_CLOEXEC | Interop.EFD_NONBLOCK);
        if (fd < 0)
        {
            throw LinuxSyscallException.FromLastError("eventfd");
        }

        _wake = new SafeFileDescriptor(fd, ownsHandle: true);
    }

    public static PidfdWatcher Instance { get; } = new();

    /// <summary>How many processes are watched (tests check nothing is left over).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watched.Count;
            }
        }
    }

    public void Watch(IsolatedProcess process)
    {
        bool added = false;
        process.PidFileDescriptor.DangerousAddRef(ref added);
        lock (_gate)
        {
            _watched.Add((process, process.PidFileDescriptor.DangerousFileDescriptor));
            if (_thread is null)
            {
                if (_watched.Count == 1)
                {
                    return; // the only process: reaped inline or by a thread started when first needed
                }

                StartThread();
            }
        }

        ulong one = 1;
        Interop.write(_wake, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Starts the watcher thread if it is not running and a process is watched (it then reaps every process).</summary>
    public void EnsureRunning()
    {
        lock (_gate)
        {
            if (_thread is null && _watched.Count > 0)
            {
                StartThread();
            }
        }
    }

    /// <summary>
    /// While the watcher thread is not running: reaps <paramref name="process"/> on the calling thread, waiting for it
    /// to exit when <paramref name="block"/> (waitid without WNOHANG), or only if it has exited. Does nothing when the
    /// thread runs (it reaps) or when another caller has claimed the process (it completes the process's exit).
    /// </summary>
    public void TryReapInline(IsolatedProcess process, bool block)
    {
        int fd;
        Interop.siginfo_t info = default;
        int rc;
        lock (_gate)
        {
            if (_thread is not null || !_watched.Contains((process, process.PidFileDescriptor.DangerousFileDescriptor)))
            {
                return;
            }

            fd = process.PidFileDescriptor.DangerousFileDescriptor;
            if (!block)
            {
                rc = Interop.waitid(Interop.P_PIDFD, fd, &info, Interop.WEXITED | Interop.WNOHANG | Interop.__WALL);
                if (rc == 0 && info.si_pid == 0)
                {
                    return; // still running
                }
            }
            else
            {
                rc = 0;
            }

            // Claimed: out of the list, so neither the thread (if it starts now) nor another caller reaps it too.
            _watched.Remove((process, fd));
        }

        if (block)
        {
            do
            {
                rc = Interop.waitid(Interop.P_PIDFD, fd, &info, Interop.WEXITED | Interop.__WALL);
            }
            while (rc != 0 && Marshal.GetLastPInvokeError() == Interop.EINTR);
        }

        Complete(process, rc, info);
    }

    private void StartThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "lxi-pidfd-wait" };
        _thread.Start();
    }

    private void Run()
    {
        var fds = new Interop.pollfd[16];
        var snapshot = new List<(IsolatedProcess Process, int Fd)>();
        while (true)
        {
            snapshot.Clear();
            lock (_gate)
            {
                snapshot.AddRange(_watched);
            }

            if (fds.Length < snapshot.Count + 1)
            {
                fds = new Interop.pollfd[(snapshot.Count + 1) * 2];
            }

            fds[0] = new Interop.pollfd { fd = _wake.DangerousFileDescriptor, events = Interop.POLLIN };
            for (int i = 0; i < snapshot.Count; i++)
            {
                fds[i + 1] = new Interop.pollfd { fd = snapshot[i].Fd, events = Interop.POLLIN };
            }

            int n;
            fixed (Interop.pollfd* p = fds)
            {
                n = Interop.poll(p, (nuint)(snapshot.Count + 1), -1);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.EINTR)
                {
                    continue;
                }

                Environment.FailFast($"LinuxIsolation pidfd watcher: poll failed with errno {errno}.");
            }

            if (fds[0].revents != 0)
            {
                ulong value;
                Interop.read(_wake, (byte*)&value, sizeof(ulong));
            }

            for (int i = 0; i < snapshot.Count; i++)
            {
                if (fds[i + 1].revents != 0)
                {
                    TryReap(snapshot[i].Process, snapshot[i].Fd);
                }
            }
        }
    }

    private void TryReap(IsolatedProcess process, int fd)
    {
        Interop.siginfo_t info = default;
        int rc = Interop.waitid(Interop.P_PIDFD, fd, &info, Interop.WEXITED | Interop.WNOHANG | Interop.__WALL);
        if (rc == 0 && info.si_pid == 0)
        {
            return; // readable a moment before it became a zombie; poll again
        }

        lock (_gate)
        {
            _watched.Remove((process, fd));
        }

        Complete(process, rc, info);
    }

    private static void Complete(IsolatedProcess process, int rc, Interop.siginfo_t info)
    {
        if (rc != 0)
        {
            process.SetWaitFailed(LinuxSyscallException.FromLastError("waitid", null, $"P_PIDFD of pid {process.Id}"));
        }
        else
        {
            process.SetExited(info.si_code == Interop.CLD_EXITED
                ? new ProcessExitStatus(info.si_status, null, false)
                : new ProcessExitStatus(null, info.si_status, info.si_code == Interop.CLD_DUMPED));
        }

        process.PidFileDescriptor.DangerousRelease();
    }
}

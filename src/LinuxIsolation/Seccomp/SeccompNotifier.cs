using System;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Netlink;
using LinuxIsolation.Seccomp.Native;

namespace LinuxIsolation.Seccomp;

/// <summary>
/// The supervisor's end of a seccomp filter with <see cref="SeccompActionKind.UserNotify"/> rules (the listener
/// descriptor of <c>SECCOMP_FILTER_FLAG_NEW_LISTENER</c>): each call such a rule stops waits until it is answered
/// here. seccomp_unotify(2); Linux 5.0 (<see cref="Continue"/>: 5.5). The notification loop of a supervisor is
/// <c>while (notifier.TryReceive(timeout, out var n)) notifier.Fail(n.Id, EPERM);</c> or an answer per call.
/// </summary>
/// <remarks>
/// Got from <see cref="Processes.IsolatedProcess.TryTakeSeccompNotifier"/>; it owns the descriptor. One thread
/// receives at a time (the kernel hands each notification to one reader); answers may come from any thread.
/// Once every task using the filter has exited, <see cref="TryReceive"/> returns false and
/// <see cref="HasEnded"/> is true (the listener's POLLHUP, Linux 5.8; before, it waits out the timeout). Disposing it makes every waiting call fail with ENOSYS.
/// </remarks>
public sealed class SeccompNotifier : IDisposable
{
    private const short POLLIN = 0x1;
    private const short POLLHUP = 0x10;
    private const int ENOENT = 2;
    private const int EINTR = 4;

    private readonly SafeFileDescriptor _fd;

    internal SeccompNotifier(SafeFileDescriptor fd)
    {
        _fd = fd;
    }

    /// <summary>The listener descriptor (for a caller's own poll loop or SECCOMP_IOCTL_NOTIF_ADDFD).</summary>
    public SafeHandle Handle => _fd;

    /// <summary>True once no task uses the filter any more (the listener reported POLLHUP): no notification can come.</summary>
    public bool HasEnded { get; private set; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a stopped call and reads it (poll, then
    /// <c>ioctl(SECCOMP_IOCTL_NOTIF_RECV)</c>). False when the time ran out or no task uses the filter any more
    /// (<see cref="HasEnded"/>).
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for ever.</param>
    /// <param name="notification">The call, when true.</param>
    /// <exception cref="LinuxSyscallException">poll or the ioctl failed.</exception>
    public unsafe bool TryReceive(TimeSpan timeout, out SeccompNotification notification)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        notification = default;
        long total = (long)timeout.TotalMilliseconds;
        if (total < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be positive or infinite.");
        }

        long deadline = total < 0 ? long.MaxValue : Environment.TickCount64 + total;
        bool added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            int fd = (int)_fd.DangerousGetHandle();
            while (true)
            {
                long left = deadline == long.MaxValue ? -1 : Math.Max(0, deadline - Environment.TickCount64);
                Interop.pollfd p = new() { fd = fd, events = POLLIN };
                int n = Interop.poll(&p, 1, (int)Math.Min(left, int.MaxValue));
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR)
                    {
                        continue;
                    }

                    throw new LinuxSyscallException(errno, "poll", detail: "seccomp listener");
                }

                if (n == 0)
                {
                    return false;
                }

                if ((p.revents & POLLIN) == 0 && (p.revents & POLLHUP) != 0)
                {
                    HasEnded = true;
                    return false;
                }

                seccomp_notif raw = default; // the kernel wants it zeroed
                if (Interop.ioctl(_fd, SeccompConstants.SECCOMP_IOCTL_NOTIF_RECV, &raw) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno is EINTR or ENOENT)
                    {
                        // ENOENT: the task went away (or the call was interrupted) between poll and the read.
                        continue;
                    }

                    throw new LinuxSyscallException(errno, "ioctl(SECCOMP_IOCTL_NOTIF_RECV)");
                }

                notification = new SeccompNotification(raw);
                return true;
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Lets the call run in the kernel as if no filter had stopped it (<c>SECCOMP_USER_NOTIF_FLAG_CONTINUE</c>,
    /// Linux 5.5). False when the call is no longer waiting (the task died or a signal interrupted it).
    /// </summary>
    /// <param name="id">The notification's <see cref="SeccompNotification.Id"/>.</param>
    public bool Continue(ulong id) => Send(new seccomp_notif_resp { id = id, flags = SeccompConstants.SECCOMP_USER_NOTIF_FLAG_CONTINUE });

    /// <summary>Makes the call fail with <paramref name="errno"/> without running it. False when it is no longer waiting.</summary>
    /// <param name="id">The notification's <see cref="SeccompNotification.Id"/>.</param>
    /// <param name="errno">The positive errno the task sees (EPERM is 1).</param>
    public bool Fail(ulong id, int errno)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(errno);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(errno, 4095);
        return Send(new seccomp_notif_resp { id = id, error = -errno });
    }

    /// <summary>Makes the call return <paramref name="value"/> without running it (the supervisor did its work). False when it is no longer waiting.</summary>
    /// <param name="id">The notification's <see cref="SeccompNotification.Id"/>.</param>
    /// <param name="value">The call's return value.</param>
    public bool Return(ulong id, long value) => Send(new seccomp_notif_resp { id = id, val = value });

    /// <summary>
    /// True while the call of <paramref name="id"/> still waits (<c>ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID)</c>): check it
    /// after reading the task's memory, so the pid was not reused and the call is the one read.
    /// </summary>
    /// <param name="id">The notification's <see cref="SeccompNotification.Id"/>.</param>
    public unsafe bool IsValid(ulong id)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        if (Interop.ioctl(_fd, SeccompConstants.SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == ENOENT ? false : throw new LinuxSyscallException(errno, "ioctl(SECCOMP_IOCTL_NOTIF_ID_VALID)");
    }

    /// <summary>Closes the listener: calls still waiting, and any stopped later, fail with ENOSYS.</summary>
    public void Dispose() => _fd.Dispose();

    private unsafe bool Send(seccomp_notif_resp response)
    {
        ObjectDisposedException.ThrowIf(_fd.IsClosed, this);
        while (Interop.ioctl(_fd, SeccompConstants.SECCOMP_IOCTL_NOTIF_SEND, &response) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR)
            {
                continue;
            }

            return errno == ENOENT ? false : throw new LinuxSyscallException(errno, "ioctl(SECCOMP_IOCTL_NOTIF_SEND)");
        }

        return true;
    }
}

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Channels;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// Delivers a cgroup's <c>cgroup.events</c> (populated, frozen) and <c>memory.events</c> (low, high, max, oom,
/// oom_kill) changes as they happen. A dedicated thread sleeps in <c>poll(POLLPRI)</c> on the open files, which
/// the kernel wakes when it notifies a change (no polling loop); after each wake-up it re-reads the files and
/// reports what moved. Events go to the callback given to <see cref="Cgroup.WatchEvents"/>, or else to
/// <see cref="ReadAllAsync"/>. Dispose stops the thread. Linux 4.5 (cgroup.events), 5.2 (frozen).
/// </summary>
/// <remarks>
/// Changes that happen between two reads are reported once (counters report their latest value): populated
/// 1 → 0 → 1 between two wake-ups can look like no change. Read <see cref="InitialState"/> for the state the
/// watch started from.
/// </remarks>
public sealed class CgroupEventWatcher : IDisposable
{
    private readonly SafeFileDescriptor _events;
    private readonly SafeFileDescriptor? _memoryEvents;
    private readonly SafeFileDescriptor _stop;
    private readonly string _eventsPath;
    private readonly string _memoryEventsPath;
    private readonly Action<CgroupEvent>? _callback;
    private readonly Channel<CgroupEvent> _channel = Channel.CreateUnbounded<CgroupEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Thread _thread;
    private CgroupEventsState _state;
    private MemoryEvents? _memory;
    private int _disposed;

    internal CgroupEventWatcher(Cgroup cgroup, Action<CgroupEvent>? callback)
    {
        _callback = callback;
        _eventsPath = cgroup.FilePath("cgroup.events");
        _memoryEventsPath = cgroup.FilePath("memory.events");
        _events = CgroupFiles.Open(cgroup, "cgroup.events", Interop.O_RDONLY);
        int memfd = CgroupFiles.OpenBeneath(cgroup.Handle, "memory.events", Interop.O_RDONLY);
        _memoryEvents = memfd >= 0 ? new SafeFileDescriptor(memfd, ownsHandle: true) : null;
        int stop = Interop.Cgroups.eventfd(0, Interop.Cgroups.EFD_CLOEXEC | Interop.Cgroups.EFD_NONBLOCK);
        if (stop < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _events.Dispose();
            _memoryEvents?.Dispose();
            throw new LinuxSyscallException(errno, "eventfd");
        }

        _stop = new SafeFileDescriptor(stop, ownsHandle: true);

        // Reading arms the notification: anything after this read wakes the thread.
        _state = CgroupEventsState.Parse(CgroupFiles.ReadFrom(_events, _eventsPath));
        _memory = _memoryEvents is null ? null : MemoryEvents.Parse(CgroupFiles.ReadFrom(_memoryEvents, _memoryEventsPath));
        InitialState = _state;
        InitialMemoryEvents = _memory;
        _thread = new Thread(Run) { IsBackground = true, Name = "cgroup events " + cgroup.RelativePath };
        _thread.Start();
    }

    /// <summary>cgroup.events when the watch started.</summary>
    public CgroupEventsState InitialState { get; }

    /// <summary>memory.events when the watch started, or null without the memory controller.</summary>
    public MemoryEvents? InitialMemoryEvents { get; }

    /// <summary>
    /// The events as they arrive, ending when the watcher is disposed, the cgroup is removed, or
    /// <paramref name="cancellationToken"/> fires. Empty when a callback was given.
    /// </summary>
    /// <param name="cancellationToken">Stops the enumeration (not the watcher).</param>
    public IAsyncEnumerable<CgroupEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Stops the watch thread, closes the files and ends <see cref="ReadAllAsync"/>.</summary>
    public unsafe void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ulong one = 1;
        Interop.Cgroups.write(_stop.DangerousFileDescriptor, (byte*)&one, sizeof(ulong));
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _events.Dispose();
        _memoryEvents?.Dispose();
        _stop.Dispose();
        _channel.Writer.TryComplete();
    }

    private unsafe void Run()
    {
        Exception? failure = null;
        try
        {
            int n = _memoryEvents is null ? 2 : 3;
            Interop.Cgroups.pollfd* fds = stackalloc Interop.Cgroups.pollfd[3];
            while (true)
            {
                fds[0] = new Interop.Cgroups.pollfd { fd = _stop.DangerousFileDescriptor, events = Interop.Cgroups.POLLIN };
                fds[1] = new Interop.Cgroups.pollfd { fd = _events.DangerousFileDescriptor, events = Interop.Cgroups.POLLPRI };
                if (_memoryEvents is not null)
                {
                    fds[2] = new Interop.Cgroups.pollfd { fd = _memoryEvents.DangerousFileDescriptor, events = Interop.Cgroups.POLLPRI };
                }

                if (Interop.Cgroups.poll(fds, (nuint)n, -1) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new LinuxSyscallException(errno, "poll", _eventsPath);
                }

                if (fds[0].revents != 0)
                {
                    return;
                }

                bool removed = false;
                if (fds[1].revents != 0)
                {
                    removed |= !ReadEvents();
                }

                if (n == 3 && fds[2].revents != 0 && !removed)
                {
                    removed |= !ReadMemoryEvents();
                }

                if (removed)
                {
                    Emit(CgroupEventKind.Removed);
                    return;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            _channel.Writer.TryComplete(failure);
        }
    }

    private bool ReadEvents()
    {
        CgroupEventsState next;
        try
        {
            next = CgroupEventsState.Parse(CgroupFiles.ReadFrom(_events, _eventsPath));
        }
        catch (CgroupException e) when (e.Errno == Errno.ENODEV || e.Errno == Errno.ENOENT)
        {
            return false;
        }

        CgroupEventsState before = _state;
        _state = next;
        if (before.Populated != next.Populated)
        {
            Emit(next.Populated ? CgroupEventKind.Populated : CgroupEventKind.Emptied);
        }

        if (before.Frozen != next.Frozen)
        {
            Emit(next.Frozen ? CgroupEventKind.Frozen : CgroupEventKind.Thawed);
        }

        return true;
    }

    private bool ReadMemoryEvents()
    {
        MemoryEvents next;
        try
        {
            next = MemoryEvents.Parse(CgroupFiles.ReadFrom(_memoryEvents!, _memoryEventsPath));
        }
        catch (CgroupException e) when (e.Errno == Errno.ENODEV || e.Errno == Errno.ENOENT)
        {
            return false;
        }

        MemoryEvents before = _memory!;
        _memory = next;
        if (next.Low > before.Low)
        {
            Emit(CgroupEventKind.MemoryLow);
        }

        if (next.High > before.High)
        {
            Emit(CgroupEventKind.MemoryHigh);
        }

        if (next.Max > before.Max)
        {
            Emit(CgroupEventKind.MemoryMax);
        }

        if (next.Oom > before.Oom)
        {
            Emit(CgroupEventKind.Oom);
        }

        if (next.OomKill > before.OomKill)
        {
            Emit(CgroupEventKind.OomKill);
        }

        if ((next.OomGroupKill ?? 0) > (before.OomGroupKill ?? 0))
        {
            Emit(CgroupEventKind.OomGroupKill);
        }

        return true;
    }

    private void Emit(CgroupEventKind kind)
    {
        var e = new CgroupEvent(kind, _state, _memory);
        if (_callback is not null)
        {
            _callback(e);
        }
        else
        {
            _channel.Writer.TryWrite(e);
        }
    }
}

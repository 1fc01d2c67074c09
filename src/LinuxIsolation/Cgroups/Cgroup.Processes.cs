using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>
    /// Moves process <paramref name="pid"/> (all its threads) into this cgroup by writing <c>cgroup.procs</c>.
    /// <c>EINVAL</c>, which the kernel returns for a process still being created, is retried a few times (as runc
    /// does); <c>EBUSY</c> (the cgroup has controllers enabled for its children) is reported with that cause.
    /// Equivalent to <c>echo PID &gt; cgroup.procs</c>. Needs write access to the common ancestor's
    /// <c>cgroup.procs</c> as well (root, or delegation).
    /// </summary>
    /// <param name="pid">The process id, greater than 0.</param>
    public void AddProcess(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        string value = pid.ToString(CultureInfo.InvariantCulture);
        for (int attempt = 0; ; attempt++)
        {
            int errno = CgroupFiles.TryWrite(this, "cgroup.procs", value);
            if (errno == 0)
            {
                return;
            }

            if (errno == Errno.EINVAL && attempt < 5)
            {
                Thread.Sleep(30);
                continue;
            }

            throw new CgroupException(errno, "write", FilePath("cgroup.procs"), value,
                errno == Errno.ESRCH ? "no such process" :
                errno == Errno.EBUSY ? "the cgroup has controllers enabled in cgroup.subtree_control: processes may only live in leaves (no internal processes rule)" :
                errno == Errno.EOPNOTSUPP ? "the cgroup is threaded or domain-invalid" : null);
        }
    }

    /// <summary>Lists the processes in this cgroup (not its descendants). Equivalent to <c>cat cgroup.procs</c>.</summary>
    public IReadOnlyList<int> GetProcesses()
    {
        return CgroupParser.ParseProcessIds(CgroupFiles.Read(this, "cgroup.procs"));
    }

    /// <summary>Reads <c>cgroup.events</c>: whether the cgroup has processes and whether it is frozen.</summary>
    public CgroupEventsState ReadEventsState() => CgroupEventsState.Parse(CgroupFiles.Read(this, "cgroup.events"));

    /// <summary>Reads the counters of <c>memory.events</c> (needs the memory controller).</summary>
    public MemoryEvents ReadMemoryEvents() => MemoryEvents.Parse(ReadFileRequiring("memory", "memory.events"));

    /// <summary>
    /// Kills every process in this cgroup and its descendants: writes <c>cgroup.kill</c> (Linux 5.14); before
    /// that, freezes the cgroup (Linux 5.2), sends SIGKILL to each listed process and thaws. Does not wait for
    /// them to be gone (see <see cref="WaitUntilEmpty"/>). Equivalent to <c>echo 1 &gt; cgroup.kill</c>.
    /// </summary>
    public void Kill()
    {
        if (IsRoot)
        {
            throw new InvalidOperationException($"refusing to kill every process of the root cgroup {Path}");
        }

        int errno = CgroupFiles.TryWrite(this, "cgroup.kill", "1");
        if (errno == 0)
        {
            return;
        }

        if (errno != Errno.ENOENT)
        {
            throw new CgroupException(errno, "write", FilePath("cgroup.kill"), "1");
        }

        KillBySignal();
    }

    /// <summary>The pre-5.14 fallback of <see cref="Kill"/>: freeze, SIGKILL each process, thaw.</summary>
    internal void KillBySignal()
    {
        bool frozen = CgroupFiles.TryWrite(this, "cgroup.freeze", "1") == 0;
        try
        {
            if (frozen)
            {
                WaitForEventsState(s => s.Frozen || !s.Populated, TimeSpan.FromSeconds(10));
            }

            SignalTree(this);
        }
        finally
        {
            if (frozen)
            {
                CgroupFiles.Write(this, "cgroup.freeze", "0");
            }
        }
    }

    /// <summary>
    /// Freezes every process in this cgroup and its descendants and waits until <c>cgroup.events</c> says
    /// <c>frozen 1</c> (notified by the kernel, not polled). Equivalent to <c>echo 1 &gt; cgroup.freeze</c>.
    /// Linux 5.2.
    /// </summary>
    /// <param name="timeout">How long to wait for the frozen state (default 10 s).</param>
    /// <exception cref="TimeoutException">The cgroup did not report frozen in time.</exception>
    public void Freeze(TimeSpan? timeout = null)
    {
        CgroupFiles.Write(this, "cgroup.freeze", "1");
        if (!WaitForEventsState(s => s.Frozen, timeout ?? TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{FilePath("cgroup.events")} did not report frozen 1 within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
        }
    }

    /// <summary>
    /// Thaws the cgroup and waits until <c>cgroup.events</c> says <c>frozen 0</c> (it stays frozen while an
    /// ancestor is frozen: then this times out). Equivalent to <c>echo 0 &gt; cgroup.freeze</c>. Linux 5.2.
    /// </summary>
    /// <param name="timeout">How long to wait (default 10 s).</param>
    /// <exception cref="TimeoutException">The cgroup still reported frozen.</exception>
    public void Thaw(TimeSpan? timeout = null)
    {
        CgroupFiles.Write(this, "cgroup.freeze", "0");
        if (!WaitForEventsState(s => !s.Frozen, timeout ?? TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{FilePath("cgroup.events")} still reports frozen 1 (is an ancestor frozen?)");
        }
    }

    /// <summary>
    /// Starts watching <c>cgroup.events</c> and <c>memory.events</c> on a dedicated thread: each change the kernel
    /// notifies (populated, frozen, oom, oom_kill, ...) is delivered as it happens, to <paramref name="callback"/>
    /// (called on the watch thread) or, without one, through <see cref="CgroupEventWatcher.ReadAllAsync"/>.
    /// Equivalent to <c>inotifywait -m cgroup.events memory.events</c>. Linux 4.5.
    /// </summary>
    /// <param name="callback">Called for each event on the watch thread, or null to read them asynchronously.</param>
    public CgroupEventWatcher WatchEvents(Action<CgroupEvent>? callback = null) => new(this, callback);

    /// <summary>
    /// Waits until this cgroup and its descendants have no process (<c>populated 0</c>), woken by the kernel's
    /// notification on <c>cgroup.events</c>. Returns false on timeout.
    /// </summary>
    /// <param name="timeout">How long to wait.</param>
    public bool WaitUntilEmpty(TimeSpan timeout) => WaitForEventsState(s => !s.Populated, timeout);

    /// <summary>
    /// Reads <c>cgroup.events</c> until <paramref name="condition"/> holds, sleeping in <c>poll(POLLPRI)</c>
    /// between changes: the kernel wakes pollers of a kernfs file when it notifies a change.
    /// </summary>
    internal unsafe bool WaitForEventsState(Func<CgroupEventsState, bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        using SafeFileDescriptor events = CgroupFiles.Open(this, "cgroup.events", Interop.O_RDONLY);
        string path = FilePath("cgroup.events");
        while (true)
        {
            // Reading records the file's event count; poll then returns as soon as it moves on.
            if (condition(CgroupEventsState.Parse(CgroupFiles.ReadFrom(events, path))))
            {
                return true;
            }

            int left = (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalMilliseconds);
            if (left <= 0)
            {
                return false;
            }

            var pfd = new Interop.Cgroups.pollfd { fd = events.DangerousFileDescriptor, events = Interop.Cgroups.POLLPRI };
            int rc = Interop.Cgroups.poll(&pfd, 1, left);
            if (rc < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                throw new CgroupException(Marshal.GetLastPInvokeError(), "poll", path);
            }
        }
    }

    private static void SignalTree(Cgroup cgroup)
    {
        foreach (int pid in cgroup.GetProcesses())
        {
            // ESRCH: it exited meanwhile, which is what we want.
            Interop.Cgroups.kill(pid, Interop.Cgroups.SIGKILL);
        }

        foreach (string child in cgroup.ListChildren())
        {
            if (CgroupName.IsValid(child))
            {
                using Cgroup c = cgroup.OpenChild(child);
                SignalTree(c);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Oci.State;

/// <summary>Signal names and numbers (signal(7)) as <c>kill ID SIGNAL</c> takes them, and delivery to a container without the pid-reuse race.</summary>
public static class OciSignals
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.Ordinal)
    {
        ["SIGHUP"] = 1, ["SIGINT"] = 2, ["SIGQUIT"] = 3, ["SIGILL"] = 4, ["SIGTRAP"] = 5, ["SIGABRT"] = 6, ["SIGIOT"] = 6,
        ["SIGBUS"] = 7, ["SIGFPE"] = 8, ["SIGKILL"] = 9, ["SIGUSR1"] = 10, ["SIGSEGV"] = 11, ["SIGUSR2"] = 12,
        ["SIGPIPE"] = 13, ["SIGALRM"] = 14, ["SIGTERM"] = 15, ["SIGSTKFLT"] = 16, ["SIGCHLD"] = 17, ["SIGCONT"] = 18,
        ["SIGSTOP"] = 19, ["SIGTSTP"] = 20, ["SIGTTIN"] = 21, ["SIGTTOU"] = 22, ["SIGURG"] = 23, ["SIGXCPU"] = 24,
        ["SIGXFSZ"] = 25, ["SIGVTALRM"] = 26, ["SIGPROF"] = 27, ["SIGWINCH"] = 28, ["SIGIO"] = 29, ["SIGPOLL"] = 29,
        ["SIGPWR"] = 30, ["SIGSYS"] = 31,
    };

    /// <summary>
    /// Parses a signal as runc does: a number ("9"), a name with or without "SIG" in any case ("KILL", "sigterm"),
    /// or a real-time one ("SIGRTMIN+3", "RTMAX-1"). Throws <see cref="ArgumentException"/> ("unknown signal").
    /// </summary>
    /// <param name="text">The signal.</param>
    public static int Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number is >= 1 and <= 64 ? number : throw new ArgumentException($"unknown signal \"{text}\"", nameof(text));
        }

        string name = text.ToUpperInvariant();
        if (!name.StartsWith("SIG", StringComparison.Ordinal))
        {
            name = "SIG" + name;
        }

        if (Numbers.TryGetValue(name, out int n))
        {
            return n;
        }

        // glibc's SIGRTMIN is 34 (two are kept for threads), SIGRTMAX 64.
        foreach ((string prefix, int basis, int sign) in new[] { ("SIGRTMIN", 34, 1), ("SIGRTMAX", 64, -1) })
        {
            if (name == prefix)
            {
                return basis;
            }

            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length + 1
                && name[prefix.Length] == (sign > 0 ? '+' : '-')
                && int.TryParse(name.AsSpan(prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int offset)
                && basis + (sign * offset) is >= 34 and <= 64)
            {
                return basis + (sign * offset);
            }
        }

        throw new ArgumentException($"unknown signal \"{text}\"", nameof(text));
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the container's init process through a pidfd opened for the recorded
    /// pid and checked against the recorded start time, so a recycled pid is never signalled
    /// (pidfd_open Linux 5.3, pidfd_send_signal 5.1). Equivalent to <c>kill -SIGNAL PID</c>.
    /// </summary>
    /// <param name="record">The container's record.</param>
    /// <param name="signal">1 to 64.</param>
    /// <returns>False when the init process is gone (the container is stopped).</returns>
    public static bool SignalInit(OciContainerRecord record, int signal)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Pid <= 0)
        {
            return false;
        }

        long pidfd = Interop.syscall_pidfd_open(Interop.SYS_pidfd_open, record.Pid, 0);
        if (pidfd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Interop.ESRCH ? false : throw new LinuxSyscallException(errno, "pidfd_open", null, $"pid {record.Pid}");
        }

        try
        {
            // The pidfd pins this process: if it is the recorded one now, it is the one signalled.
            if (!OciProcessStat.IsAlive(record.Pid, record.PidStartTime))
            {
                return false;
            }

            if (Interop.syscall_pidfd_send_signal(Interop.SYS_pidfd_send_signal, (int)pidfd, signal, 0, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == Interop.ESRCH ? false : throw new LinuxSyscallException(errno, "pidfd_send_signal", null, $"pid {record.Pid}, signal {signal}");
            }

            return true;
        }
        finally
        {
            Interop.close((int)pidfd);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the container's cgroup (runc's <c>kill --all</c>). Equivalent to <c>kill -SIGNAL $(cat cgroup.procs)</c>.</summary>
    /// <param name="record">The container's record.</param>
    /// <param name="signal">1 to 64.</param>
    /// <returns>How many processes were signalled.</returns>
    public static int SignalAll(OciContainerRecord record, int signal)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.CgroupPath) || !System.IO.Directory.Exists(record.CgroupPath))
        {
            return SignalInit(record, signal) ? 1 : 0;
        }

        using Cgroup cgroup = Cgroup.Open(record.CgroupPath);
        int count = 0;
        foreach (int pid in ListProcesses(cgroup))
        {
            if (Interop.kill(pid, signal) == 0)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The processes of a cgroup and its descendants (cgroup.procs of each).</summary>
    /// <param name="cgroup">The cgroup.</param>
    public static IReadOnlyList<int> ListProcesses(Cgroup cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        var pids = new List<int>(cgroup.GetProcesses());
        foreach (string child in cgroup.ListChildren())
        {
            using Cgroup c = cgroup.OpenChild(child);
            pids.AddRange(ListProcesses(c));
        }

        return pids;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

/// <summary>
/// The settings of a plan that the runtime applies from outside to the created container process, after create
/// and before start (the process waits, so the user program starts with them): oom_score_adj, the scheduler,
/// the I/O priority and the sysctls (written by a thread inside the container's namespace, as
/// <c>nsenter -t PID -n sysctl -w</c> does). Needs root (CAP_SYS_NICE for real-time policies,
/// CAP_SYS_RESOURCE to lower oom_score_adj, CAP_SYS_ADMIN to enter the namespaces).
/// </summary>
public static class OciCreatedProcess
{
    /// <summary>Applies every setting of <paramref name="plan"/> to process <paramref name="pid"/>, in the order oom_score_adj, scheduler, I/O priority, sysctls.</summary>
    /// <param name="pid">The created container process.</param>
    /// <param name="plan">The plan.</param>
    /// <exception cref="OciApplyException">A setting failed; the message names its JSON path.</exception>
    public static void Apply(int pid, OciContainerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.OomScoreAdj is int adj)
        {
            Wrap("process.oomScoreAdj", () => SetOomScoreAdj(pid, adj));
        }

        if (plan.Scheduler is { } scheduler)
        {
            Wrap("process.scheduler", () => SetScheduler(pid, scheduler));
        }

        if (plan.IoPriority is { } io)
        {
            Wrap("process.ioPriority", () => SetIoPriority(pid, io));
        }

        foreach (OciSysctl sysctl in plan.Sysctls)
        {
            Wrap(OciProblems.Key("linux.sysctl", sysctl.Key), () => WriteSysctl(pid, sysctl));
        }
    }

    /// <summary>Writes /proc/PID/oom_score_adj. Equivalent to <c>choom -p PID -n VALUE</c>; lowering it needs CAP_SYS_RESOURCE.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="value">-1000 to 1000.</param>
    public static void SetOomScoreAdj(int pid, int value)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/oom_score_adj");
        try
        {
            File.WriteAllText(path, value.ToString(CultureInfo.InvariantCulture));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LinuxSyscallException(1 /* EPERM */, "write", path, $"setting {value} needs CAP_SYS_RESOURCE to go below the current value ({e.Message})");
        }
    }

    /// <summary>Sets the policy and parameters with sched_setattr(2) (Linux 3.14). Equivalent to <c>chrt -p</c>.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="scheduler">The scheduler settings.</param>
    public static unsafe void SetScheduler(int pid, OciScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        uint policy = scheduler.Policy switch
        {
            "SCHED_OTHER" => 0,
            "SCHED_FIFO" => 1,
            "SCHED_RR" => 2,
            "SCHED_BATCH" => 3,
            "SCHED_IDLE" => 5,
            "SCHED_DEADLINE" => 6,
            _ => throw new ArgumentException($"{scheduler.Policy} is not a Linux scheduling policy", nameof(scheduler)),
        };
        ulong flags = 0;
        foreach (string f in scheduler.Flags ?? [])
        {
            flags |= f switch
            {
                "SCHED_FLAG_RESET_ON_FORK" => 0x01UL,
                "SCHED_FLAG_RECLAIM" => 0x02UL,
                "SCHED_FLAG_DL_OVERRUN" => 0x04UL,
                "SCHED_FLAG_KEEP_POLICY" => 0x08UL,
                "SCHED_FLAG_KEEP_PARAMS" => 0x10UL,
                "SCHED_FLAG_UTIL_CLAMP_MIN" => 0x20UL,
                "SCHED_FLAG_UTIL_CLAMP_MAX" => 0x40UL,
                _ => throw new ArgumentException($"{f} is not a scheduler flag", nameof(scheduler)),
            };
        }

        var attr = new Interop.sched_attr
        {
            size = (uint)sizeof(Interop.sched_attr),
            sched_policy = policy,
            sched_flags = flags,
            sched_nice = scheduler.Nice ?? 0,
            sched_priority = (uint)(scheduler.Priority ?? 0),
            sched_runtime = scheduler.Runtime ?? 0,
            sched_deadline = scheduler.Deadline ?? 0,
            sched_period = scheduler.Period ?? 0,
        };
        if (Interop.syscall_sched_setattr(Interop.SYS_sched_setattr, pid, &attr, 0) != 0)
        {
            throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "sched_setattr", null, string.Create(CultureInfo.InvariantCulture, $"pid {pid}, {scheduler.Policy}"));
        }
    }

    /// <summary>Sets the I/O class and level with ioprio_set(2) (IOPRIO_WHO_PROCESS). Equivalent to <c>ionice -c CLASS -n LEVEL -p PID</c>.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="priority">The class and level.</param>
    public static void SetIoPriority(int pid, OciIoPriority priority)
    {
        ArgumentNullException.ThrowIfNull(priority);
        int ioClass = priority.Class switch
        {
            "IOPRIO_CLASS_RT" => 1,
            "IOPRIO_CLASS_BE" => 2,
            "IOPRIO_CLASS_IDLE" => 3,
            _ => throw new ArgumentException($"{priority.Class} is not an I/O priority class", nameof(priority)),
        };
        int value = (ioClass << 13) | (priority.Priority ?? 0);
        if (Interop.syscall_ioprio_set(Interop.SYS_ioprio_set, Interop.IOPRIO_WHO_PROCESS, pid, value) != 0)
        {
            throw new LinuxSyscallException(Marshal.GetLastPInvokeError(), "ioprio_set", null, string.Create(CultureInfo.InvariantCulture, $"pid {pid}, {priority.Class} {priority.Priority}"));
        }
    }

    /// <summary>Writes a sysctl from a thread inside the process's namespace of the sysctl's kind (NamespaceHandle.Run). Equivalent to <c>nsenter -t PID -n sysctl -w KEY=VALUE</c>.</summary>
    /// <param name="pid">The container process.</param>
    /// <param name="sysctl">The sysctl.</param>
    public static void WriteSysctl(int pid, OciSysctl sysctl)
    {
        ArgumentNullException.ThrowIfNull(sysctl);
        NamespaceKind kind = sysctl.Namespace switch
        {
            OciSysctlNamespace.Network => NamespaceKind.Network,
            OciSysctlNamespace.Ipc => NamespaceKind.Ipc,
            OciSysctlNamespace.Uts => NamespaceKind.Uts,
            _ => throw new ArgumentException($"{sysctl.Key} cannot be written from the runtime (namespace {sysctl.Namespace})", nameof(sysctl)),
        };
        using NamespaceHandle ns = NamespaceHandle.OpenProcess(pid, kind);
        string path = sysctl.ProcPath;
        Exception? failure = null;
        ns.Run(() =>
        {
            try
            {
                File.WriteAllText(path, sysctl.Value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure = e;
            }
        });
        if (failure is not null)
        {
            throw new IOException($"write {path} = {OciProblems.Quote(sysctl.Value)} in the container's {kind} namespace: {failure.Message}", failure);
        }
    }

    private static void Wrap(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is LinuxSyscallException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new OciApplyException(path, e);
        }
    }
}

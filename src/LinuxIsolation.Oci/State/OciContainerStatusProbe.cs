using System;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Oci.State;

/// <summary>
/// Derives a container's status from its process, as runc does, rather than trusting the recorded one: the
/// init process must exist, not be a zombie, and have the recorded start time (a recycled pid is another
/// process); a frozen cgroup is "paused"; a "creating" record whose creating lxi has died is a crashed create.
/// </summary>
public static class OciContainerStatusProbe
{
    /// <summary>The status of the container <paramref name="record"/> describes.</summary>
    /// <param name="record">The container's record.</param>
    public static OciContainerStatus GetStatus(OciContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        OciContainerStatus recorded = OciContainerStatusExtensions.ParseSpecString(record.Status) ?? OciContainerStatus.Stopped;
        if (recorded == OciContainerStatus.Creating)
        {
            // While create runs (or if it crashed) the status stays creating; delete may remove a crashed one.
            return OciContainerStatus.Creating;
        }

        if (recorded == OciContainerStatus.Stopped || !IsInitAlive(record))
        {
            return OciContainerStatus.Stopped;
        }

        if (IsFrozen(record.CgroupPath))
        {
            return OciContainerStatus.Paused;
        }

        return recorded == OciContainerStatus.Created ? OciContainerStatus.Created : OciContainerStatus.Running;
    }

    /// <summary>True when the container's init process is the recorded one and has not exited.</summary>
    /// <param name="record">The container's record.</param>
    public static bool IsInitAlive(OciContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Pid > 0 && OciProcessStat.IsAlive(record.Pid, record.PidStartTime);
    }

    /// <summary>True when the record is "creating" and the lxi process that was creating it is gone: create crashed, and <c>delete</c> may remove what it left.</summary>
    /// <param name="record">The container's record.</param>
    public static bool IsAbandonedCreate(OciContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Status == "creating" && !OciProcessStat.IsAlive(record.CreatorPid, record.CreatorStartTime);
    }

    /// <summary>True when the cgroup at <paramref name="cgroupPath"/> reports <c>frozen 1</c> in cgroup.events.</summary>
    /// <param name="cgroupPath">The cgroup directory, or null.</param>
    public static bool IsFrozen(string? cgroupPath)
    {
        if (string.IsNullOrEmpty(cgroupPath) || !System.IO.File.Exists(cgroupPath + "/cgroup.events"))
        {
            return false;
        }

        try
        {
            using Cgroup cgroup = Cgroup.Open(cgroupPath);
            return cgroup.ReadEventsState().Frozen;
        }
        catch (Exception e) when (e is LinuxSyscallException or InvalidOperationException or ArgumentException or System.IO.IOException)
        {
            return false;
        }
    }
}

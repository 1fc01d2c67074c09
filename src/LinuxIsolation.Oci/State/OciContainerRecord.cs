using System.Collections.Generic;
using System.Text.Json.Serialization;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci.State;

/// <summary>
/// What lxi keeps in a container's <c>state.json</c>: the public state (<see cref="ToState"/>) plus the
/// runtime's own fields: the init process's start time (so a recycled pid is never taken for the container),
/// the cgroup, the cgroups it created, the process that is creating it, and the config as it was at
/// <c>create</c> (later edits of config.json must not affect the container: runtime.md "Create").
/// </summary>
public sealed class OciContainerRecord : OciObject
{
    /// <summary><c>ociVersion</c>: the config's ociVersion.</summary>
    [JsonPropertyName("ociVersion")]
    public string? OciVersion { get; set; }

    /// <summary><c>id</c>: the container id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary><c>status</c>: the last status lxi recorded (creating, created, running); the status shown is derived from the process (<see cref="OciContainerStatusProbe"/>).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    /// <summary><c>pid</c>: the container process in lxi's PID namespace, 0 before it exists.</summary>
    [JsonPropertyName("pid")]
    public int Pid { get; set; }

    /// <summary><c>pidStartTime</c>: field 22 of /proc/PID/stat of <see cref="Pid"/> (clock ticks since boot) when it was started.</summary>
    [JsonPropertyName("pidStartTime")]
    public ulong PidStartTime { get; set; }

    /// <summary><c>bundle</c>: the absolute bundle directory.</summary>
    [JsonPropertyName("bundle")]
    public string? Bundle { get; set; }

    /// <summary><c>rootfs</c>: the absolute root file system directory.</summary>
    [JsonPropertyName("rootfs")]
    public string? Rootfs { get; set; }

    /// <summary><c>created</c>: when create ran (RFC 3339 with nanoseconds, UTC).</summary>
    [JsonPropertyName("created")]
    public string? Created { get; set; }

    /// <summary><c>annotations</c>: the config's annotations.</summary>
    [JsonPropertyName("annotations")]
    public IDictionary<string, string>? Annotations { get; set; }

    /// <summary><c>cgroupPath</c>: the container's cgroup directory (absolute), or null without one.</summary>
    [JsonPropertyName("cgroupPath")]
    public string? CgroupPath { get; set; }

    /// <summary><c>cgroupsCreated</c>: the cgroup directories lxi created for the container, parents first; delete removes exactly these, deepest first.</summary>
    [JsonPropertyName("cgroupsCreated")]
    public IList<string>? CgroupsCreated { get; set; }

    /// <summary><c>cgroupsV1</c>: on a hybrid host, the container's cgroup in each cgroup v1 hierarchy that holds some of its limits (see <see cref="OciCgroupPlan.V1Writes"/>); a process started in the container later joins them too.</summary>
    [JsonPropertyName("cgroupsV1")]
    public IList<string>? CgroupsV1 { get; set; }

    /// <summary><c>cgroupsV1Created</c>: the cgroup v1 directories lxi created for the container, parents first; delete removes exactly these, deepest first.</summary>
    [JsonPropertyName("cgroupsV1Created")]
    public IList<string>? CgroupsV1Created { get; set; }

    /// <summary><c>creatorPid</c>: the lxi process running <c>create</c> while the status is creating (0 after); a dead creator means create crashed.</summary>
    [JsonPropertyName("creatorPid")]
    public int CreatorPid { get; set; }

    /// <summary><c>creatorStartTime</c>: the start time of <see cref="CreatorPid"/>.</summary>
    [JsonPropertyName("creatorStartTime")]
    public ulong CreatorStartTime { get; set; }

    /// <summary><c>config</c>: the config.json as read at create.</summary>
    [JsonPropertyName("config")]
    public OciSpec? Config { get; set; }

    /// <summary>The public state for <paramref name="status"/>: pid 0 when stopped, as runc prints it.</summary>
    /// <param name="status">The status derived from the process.</param>
    public OciState ToState(OciContainerStatus status) => new()
    {
        OciVersion = OciVersion,
        Id = Id,
        Pid = status == OciContainerStatus.Stopped ? 0 : Pid,
        Status = status.ToSpecString(),
        Bundle = Bundle,
        Rootfs = Rootfs,
        Created = Created,
        Owner = string.Empty,
        Annotations = Annotations is null ? null : new Dictionary<string, string>(Annotations, System.StringComparer.Ordinal),
    };
}

using System;

namespace LinuxIsolation.Oci.State;

/// <summary>The status of a container (runtime.md "State"), plus runc's additional "paused".</summary>
public enum OciContainerStatus
{
    /// <summary>creating: <c>create</c> is running (or crashed before it finished).</summary>
    Creating,

    /// <summary>created: the container process exists and waits; the user program has not run.</summary>
    Created,

    /// <summary>running: the user program runs.</summary>
    Running,

    /// <summary>stopped: the container process has exited.</summary>
    Stopped,

    /// <summary>paused: the container's cgroup is frozen (runc's additional status; <c>pause</c>).</summary>
    Paused,
}

/// <summary>The spec's spelling of <see cref="OciContainerStatus"/>.</summary>
public static class OciContainerStatusExtensions
{
    /// <summary>"creating", "created", "running", "stopped" or "paused".</summary>
    /// <param name="status">The status.</param>
    public static string ToSpecString(this OciContainerStatus status) => status switch
    {
        OciContainerStatus.Creating => "creating",
        OciContainerStatus.Created => "created",
        OciContainerStatus.Running => "running",
        OciContainerStatus.Stopped => "stopped",
        OciContainerStatus.Paused => "paused",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses the spec's spelling; null for anything else.</summary>
    /// <param name="text">"creating", "created", "running", "stopped" or "paused".</param>
    public static OciContainerStatus? ParseSpecString(string? text) => text switch
    {
        "creating" => OciContainerStatus.Creating,
        "created" => OciContainerStatus.Created,
        "running" => OciContainerStatus.Running,
        "stopped" => OciContainerStatus.Stopped,
        "paused" => OciContainerStatus.Paused,
        _ => null,
    };
}

namespace LinuxIsolation.Oci;

/// <summary>
/// One cgroup v1 file that a container's cgroup gets on a hybrid host (a controller bound to cgroup v1, not to
/// the v2 hierarchy): e.g. controller "pids", mount point "/sys/fs/cgroup/pids", file "pids.max", value "1000"
/// for <c>linux.resources.pids.limit</c>. Equivalent to <c>echo VALUE &gt; MOUNTPOINT/CGROUP/FILE</c>.
/// </summary>
/// <param name="Controller">The v1 controller ("cpu", "cpuset", "pids").</param>
/// <param name="MountPoint">Where its hierarchy is mounted.</param>
/// <param name="File">The file in the container's cgroup.</param>
/// <param name="Value">What is written, the spec's value unconverted.</param>
/// <param name="JsonPath">The config.json setting it comes from.</param>
public sealed record OciCgroupV1Write(string Controller, string MountPoint, string File, string Value, string JsonPath);

namespace LinuxIsolation.Cgroups;

/// <summary>One change the kernel notified on a cgroup's <c>cgroup.events</c> or <c>memory.events</c>.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="State">The cgroup.events contents after the change.</param>
/// <param name="Memory">The memory.events counters after the change, or null without the memory controller.</param>
public sealed record CgroupEvent(CgroupEventKind Kind, CgroupEventsState State, MemoryEvents? Memory);

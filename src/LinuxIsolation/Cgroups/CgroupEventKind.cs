namespace LinuxIsolation.Cgroups;

/// <summary>What changed in <c>cgroup.events</c> or <c>memory.events</c>.</summary>
public enum CgroupEventKind
{
    /// <summary>populated went 0 → 1: a process entered the cgroup or a descendant.</summary>
    Populated,

    /// <summary>populated went 1 → 0: the last process of the subtree exited or left.</summary>
    Emptied,

    /// <summary>frozen went 0 → 1 (Linux 5.2).</summary>
    Frozen,

    /// <summary>frozen went 1 → 0 (Linux 5.2).</summary>
    Thawed,

    /// <summary>memory.events low grew: reclaimed below memory.low.</summary>
    MemoryLow,

    /// <summary>memory.events high grew: throttled over memory.high.</summary>
    MemoryHigh,

    /// <summary>memory.events max grew: usage hit memory.max.</summary>
    MemoryMax,

    /// <summary>memory.events oom grew: an allocation failed at memory.max.</summary>
    Oom,

    /// <summary>memory.events oom_kill grew: the OOM killer killed a process of the cgroup (Linux 4.13).</summary>
    OomKill,

    /// <summary>memory.events oom_group_kill grew: the whole group was killed (Linux 5.18).</summary>
    OomGroupKill,

    /// <summary>The cgroup's files went away (the cgroup was removed); no further events follow.</summary>
    Removed,
}

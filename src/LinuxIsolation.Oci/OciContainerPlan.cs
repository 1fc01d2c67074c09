using System.Collections.Generic;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>
/// A bundle mapped to the library's settings by <see cref="OciBundleMapper.Map"/>: the start info of the
/// container process, its cgroup, the sysctls and process settings the runtime applies to the created process
/// before start, the hooks, and every setting that cannot be applied yet (<see cref="Unsupported"/>, each with
/// its JSON path: nothing is silently dropped).
/// </summary>
public sealed class OciContainerPlan
{
    internal OciContainerPlan(OciBundle bundle, string id, IsolatedProcessStartInfo startInfo)
    {
        Bundle = bundle;
        Id = id;
        StartInfo = startInfo;
    }

    /// <summary>The bundle mapped.</summary>
    public OciBundle Bundle { get; }

    /// <summary>The container id.</summary>
    public string Id { get; }

    /// <summary>The container process: namespaces new and joined, id maps, root, mounts, masked and read-only paths, program, environment, working directory, ids, capabilities, no_new_privs, rlimits, host and domain name.</summary>
    public IsolatedProcessStartInfo StartInfo { get; }

    /// <summary>The cgroup, or null when no cgroup v2 hierarchy is mounted.</summary>
    public OciCgroupPlan? Cgroup { get; internal set; }

    /// <summary><c>linux.sysctl</c>, written from inside the container's namespaces after create, before start.</summary>
    public IReadOnlyList<OciSysctl> Sysctls { get; internal set; } = [];

    /// <summary><c>process.oomScoreAdj</c>, written to /proc/PID/oom_score_adj of the created process before start; null leaves it.</summary>
    public int? OomScoreAdj { get; internal set; }

    /// <summary><c>process.scheduler</c>, applied to the created process with sched_setattr(2) before start; null leaves it.</summary>
    public OciScheduler? Scheduler { get; internal set; }

    /// <summary><c>process.ioPriority</c>, applied to the created process with ioprio_set(2) before start; null leaves it.</summary>
    public OciIoPriority? IoPriority { get; internal set; }

    /// <summary><c>process.terminal</c>: the process gets a pseudoterminal (its master goes to <c>--console-socket</c>).</summary>
    public bool Terminal { get; internal set; }

    /// <summary>
    /// The config's cgroup mounts (type "cgroup" or "cgroup2"), in order: the runtime binds the container's cgroup
    /// directory on each destination, read-only unless its options say "rw", once the cgroup exists.
    /// </summary>
    public IReadOnlyList<OciMount> CgroupMounts => _cgroupMounts;

    internal List<OciMount> CgroupMountList => _cgroupMounts;

    /// <summary>The hooks (never null; empty lists when config.json has none).</summary>
    public OciHooks Hooks { get; internal set; } = new();

    /// <summary>The settings that cannot be applied, each with its JSON path and what is missing; the container must not be created while there is one.</summary>
    public IReadOnlyList<OciValidationError> Unsupported => _unsupported;

    private readonly List<OciMount> _cgroupMounts = [];

    /// <summary>Settings applied differently from the letter of the spec, or ignored as the spec allows (logged as warnings).</summary>
    public IReadOnlyList<OciValidationError> Warnings => _warnings;

    internal List<OciValidationError> UnsupportedList => _unsupported;

    internal List<OciValidationError> WarningList => _warnings;

    private readonly List<OciValidationError> _unsupported = [];
    private readonly List<OciValidationError> _warnings = [];

    /// <summary>Throws an <see cref="OciUnsupportedException"/> naming every setting in <see cref="Unsupported"/>.</summary>
    public void ThrowIfUnsupported()
    {
        if (_unsupported.Count > 0)
        {
            throw new OciUnsupportedException(_unsupported);
        }
    }
}

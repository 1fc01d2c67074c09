using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Oci;

/// <summary>
/// The container's cgroup as config.json asks for it: where (<c>linux.cgroupsPath</c> resolved below the
/// cgroup v2 mount) and with which limits (<c>linux.resources</c> converted to cgroup v2 files the way runc
/// converts them: cpu.shares to cpu.weight, blkio.weight to io.weight, memory+swap to memory.swap.max, ...),
/// and which controllers those limits need, each with the JSON path that needs it.
/// </summary>
public sealed class OciCgroupPlan
{
    internal OciCgroupPlan(string relativePath, CgroupResources? resources, IReadOnlyList<(string Controller, string JsonPath)> controllers, IReadOnlyList<OciCgroupV1Write>? v1Writes = null)
    {
        RelativePath = relativePath;
        Resources = resources;
        Controllers = controllers;
        V1Writes = v1Writes ?? [];
    }

    /// <summary>The cgroup below the hierarchy's root, e.g. "/lxi/abc" (what <see cref="Cgroup.Open"/> takes).</summary>
    public string RelativePath { get; }

    /// <summary>The limits to apply, or null when linux.resources sets none.</summary>
    public CgroupResources? Resources { get; }

    /// <summary>The controllers the limits need, with the JSON path of the setting that needs each ("memory", "linux.resources.memory.limit").</summary>
    public IReadOnlyList<(string Controller, string JsonPath)> Controllers { get; }

    /// <summary>The absolute directory in <paramref name="hierarchy"/>.</summary>
    /// <param name="hierarchy">The cgroup v2 hierarchy.</param>
    public string DirectoryIn(CgroupHierarchy hierarchy)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        return hierarchy.MountPoint.TrimEnd('/') + RelativePath;
    }

    /// <summary>
    /// The settings whose controller the hierarchy's root does not offer, each with the JSON path and the
    /// reason, e.g. <c>linux.resources.memory.limit: the memory controller is not available in the cgroup v2
    /// hierarchy at /sys/fs/cgroup/unified: it is bound to a cgroup v1 hierarchy (/sys/fs/cgroup/memory)</c>.
    /// Empty when every controller is there. Equivalent to comparing with <c>cat cgroup.controllers</c>.
    /// </summary>
    /// <param name="hierarchy">The cgroup v2 hierarchy.</param>
    public IReadOnlyList<OciValidationError> FindUnavailableControllers(CgroupHierarchy hierarchy)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        if (Controllers.Count == 0)
        {
            return [];
        }

        IReadOnlyList<string> available = hierarchy.GetRootControllers();
        var missing = new List<OciValidationError>();
        foreach ((string controller, string path) in Controllers)
        {
            if (!available.Contains(controller))
            {
                missing.Add(new OciValidationError(path, hierarchy.ExplainUnavailable(controller) ?? $"the {controller} controller is not available"));
            }
        }

        return missing;
    }

    /// <summary>
    /// On a hybrid host, the cpu, cpuset and pids settings whose controller is bound to a cgroup v1 hierarchy
    /// and missing from the v2 one: written to the container's cgroup of the same <see cref="RelativePath"/> in
    /// that v1 hierarchy, as runc does there (<see cref="OciCgroups.JoinV1"/>). Empty where cgroup v2 has them.
    /// </summary>
    public IReadOnlyList<OciCgroupV1Write> V1Writes { get; }

    /// <summary>The distinct controller names of <see cref="Controllers"/>.</summary>
    public IReadOnlyList<string> ControllerNames => Controllers.Select(c => c.Controller).Distinct(StringComparer.Ordinal).ToArray();
}

using System;
using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// Limits to apply to a cgroup, one nullable group per controller: null leaves that controller's files alone.
/// Applied with <see cref="Cgroup.Apply"/> or <see cref="Cgroup.CreateChild(string, CgroupResources?)"/>.
/// </summary>
public sealed record CgroupResources
{
    /// <summary>
    /// The value that writes "max" (no limit) to a limit file. It is the only way to write "max": every other
    /// number is written as that number (0 included, which for memory.max or pids.max means "nothing allowed").
    /// </summary>
    public const long Unlimited = long.MaxValue;

    /// <summary>memory.* limits (memory controller, Linux 4.5), or null.</summary>
    public MemoryLimits? Memory { get; init; }

    /// <summary>cpu.max and cpu.weight (cpu controller, Linux 4.15), or null.</summary>
    public CpuLimits? Cpu { get; init; }

    /// <summary>pids.max (pids controller, Linux 4.5), or null.</summary>
    public PidsLimits? Pids { get; init; }

    /// <summary>io.max and io.weight (io controller, Linux 4.5), or null.</summary>
    public IoLimits? Io { get; init; }

    /// <summary>cpuset.cpus and cpuset.mems (cpuset controller in v2, Linux 5.0), or null.</summary>
    public CpusetLimits? Cpuset { get; init; }

    /// <summary>hugetlb.&lt;size&gt;.max per page size (hugetlb controller, Linux 5.6 in v2), or null.</summary>
    public IReadOnlyList<HugetlbLimit>? Hugetlb { get; init; }

    /// <summary>
    /// Any other interface file and the value to write to it (the escape hatch), written last, in the
    /// dictionary's order; file names are validated as single path components.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Raw { get; init; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the rule broken.</summary>
    public void Validate()
    {
        Memory?.Validate();
        Cpu?.Validate();
        Pids?.Validate();
        Io?.Validate();
        Cpuset?.Validate();
        if (Hugetlb is not null)
        {
            foreach (HugetlbLimit h in Hugetlb)
            {
                ArgumentNullException.ThrowIfNull(h, nameof(Hugetlb));
                h.Validate();
            }
        }

        if (Raw is not null)
        {
            foreach (KeyValuePair<string, string> pair in Raw)
            {
                CgroupName.Validate(pair.Key, nameof(Raw));
                ArgumentNullException.ThrowIfNull(pair.Value, nameof(Raw));
                if (pair.Value.Trim().Length == 0)
                {
                    // An empty write is not "leave alone": cpuset.cpus, for one, takes it as "no CPUs of its own".
                    throw new ArgumentException($"An empty value for {pair.Key} is refused: the kernel would take it as a new value (an empty cpuset.cpus means no CPUs of its own), not as \"leave it alone\"; leave the file out instead.", nameof(Raw));
                }
            }
        }
    }

    internal static void CheckLimit(long? value, string name)
    {
        if (value is < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be 0 or more (CgroupResources.Unlimited for \"max\")");
        }
    }
}

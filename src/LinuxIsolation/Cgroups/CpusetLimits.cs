using System;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// Cpuset controller settings (Linux 5.0 in v2) as kernel list strings such as "0-3,6"; null leaves a file
/// alone. The CPUs and memory nodes must be a subset of the parent's effective sets.
/// </summary>
public sealed record CpusetLimits
{
    /// <summary>cpuset.cpus: the CPUs the cgroup may run on, e.g. "0-1".</summary>
    public string? Cpus { get; init; }

    /// <summary>cpuset.mems: the NUMA memory nodes it may allocate from, e.g. "0".</summary>
    public string? Mems { get; init; }

    internal void Validate()
    {
        CheckList(Cpus, nameof(Cpus));
        CheckList(Mems, nameof(Mems));
    }

    /// <summary>Checks "N", "N-M" items separated by commas.</summary>
    internal static void CheckList(string? list, string name)
    {
        if (list is null)
        {
            return;
        }

        foreach (string item in list.Split(','))
        {
            string[] range = item.Split('-');
            bool ok = range.Length is 1 or 2;
            foreach (string n in range)
            {
                ok &= n.Length is > 0 and < 8 && n.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
            }

            if (!ok || (range.Length == 2 && int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture) > int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new ArgumentException($"{name} \"{list}\" is not a list like \"0-3,6\"", name);
            }
        }
    }
}

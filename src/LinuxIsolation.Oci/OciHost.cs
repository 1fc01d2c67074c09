using System;
using System.Globalization;
using System.IO;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>What the mapping reads about the runtime's own process: capabilities, hard limits, cgroup.</summary>
internal static class OciHost
{
    public static ulong BoundingSet() => StatusMask("CapBnd:");

    public static bool HasEffectiveCapability(Capability capability) => (StatusMask("CapEff:") & (1UL << (int)capability)) != 0;

    public static ulong HardLimit(int resource) =>
        Interop.getrlimit(resource, out Interop.rlimit r) == 0 ? r.rlim_max : ulong.MaxValue;

    /// <summary>The "0::" line of /proc/self/cgroup, or "/" when there is none.</summary>
    public static string OwnCgroup()
    {
        foreach (string line in File.ReadAllLines("/proc/self/cgroup"))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line.Substring(3);
            }
        }

        return "/";
    }

    private static ulong StatusMask(string field)
    {
        foreach (string line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return ulong.Parse(line.AsSpan(field.Length).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace LinuxIsolation.Cgroups;

/// <summary>Parses the cgroup v2 interface file formats (Documentation/admin-guide/cgroup-v2.rst "Interface Files").</summary>
internal static class CgroupParser
{
    /// <summary>
    /// "key value" per line (memory.stat, cpu.stat, cgroup.events, memory.events). "max" reads as long.MaxValue.
    /// Never throws: a line without a key and a space is skipped, a value that is not a number reads as 0.
    /// </summary>
    internal static Dictionary<string, long> ParseFlatKeyed(string text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0)
            {
                continue;
            }

            result[line.Substring(0, space)] = ParseValue(line.AsSpan(space + 1).Trim());
        }

        return result;
    }

    /// <summary>
    /// "KEY sub=value sub=value" per line (io.stat, *.pressure, io.max). Never throws: blank lines (spaces only)
    /// are skipped and fields without "=" are ignored.
    /// </summary>
    internal static List<(string Key, Dictionary<string, string> Values)> ParseNestedKeyed(string text)
    {
        var result = new List<(string, Dictionary<string, string>)>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 1; i < parts.Length; i++)
            {
                int eq = parts[i].IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    values[parts[i].Substring(0, eq)] = parts[i].Substring(eq + 1);
                }
            }

            result.Add((parts[0], values));
        }

        return result;
    }

    /// <summary>
    /// One process id per line (cgroup.procs, cgroup.threads). Never throws: a line that is not a positive number
    /// is skipped.
    /// </summary>
    internal static List<int> ParseProcessIds(string text)
    {
        var result = new List<int>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(line.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0)
            {
                result.Add(pid);
            }
        }

        return result;
    }

    /// <summary>
    /// The quota field of cpu.max ("QUOTA PERIOD", QUOTA a number or "max"). Never throws: an empty file or a
    /// first field that is neither reads as "max" (no quota), the kernel's default.
    /// </summary>
    internal static string ParseCpuMaxQuota(string text)
    {
        ReadOnlySpan<char> line = text.AsSpan().Trim();
        int space = line.IndexOfAny(' ', '\n');
        ReadOnlySpan<char> quota = space < 0 ? line : line.Slice(0, space);
        return quota.SequenceEqual("max") || !long.TryParse(quota, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? "max"
            : quota.ToString();
    }

    /// <summary>A single value ("123" or "max"); never throws: anything else reads as 0, a number beyond long as long.MaxValue.</summary>
    internal static long ParseValue(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.SequenceEqual("max"))
        {
            return long.MaxValue;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
        {
            return v;
        }

        // Counters beyond long (never seen in practice) saturate rather than fail.
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? long.MaxValue : 0;
    }

    /// <summary>A limit value for writing: <see cref="CgroupResources.Unlimited"/> becomes "max".</summary>
    internal static string FormatLimit(long value) =>
        value == CgroupResources.Unlimited ? "max" : value.ToString(CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;
using System.Globalization;

namespace LinuxIsolation.Cgroups;

/// <summary>io.stat: per-device I/O of a cgroup and its descendants. IO controller (Linux 4.16).</summary>
/// <param name="Devices">One entry per device line.</param>
public sealed record IoStatistics(IReadOnlyList<IoDeviceStatistics> Devices)
{
    internal static IoStatistics Parse(string text)
    {
        var devices = new List<IoDeviceStatistics>();
        foreach ((string key, Dictionary<string, string> values) in CgroupParser.ParseNestedKeyed(text))
        {
            string[] mm = key.Split(':');
            if (mm.Length != 2
                || !int.TryParse(mm[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
                || !int.TryParse(mm[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
            {
                continue;
            }

            var all = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> kv in values)
            {
                all[kv.Key] = CgroupParser.ParseValue(kv.Value);
            }

            devices.Add(new IoDeviceStatistics(
                major, minor, all.GetValueOrDefault("rbytes"), all.GetValueOrDefault("wbytes"), all.GetValueOrDefault("rios"),
                all.GetValueOrDefault("wios"), all.GetValueOrDefault("dbytes"), all.GetValueOrDefault("dios"), all));
        }

        return new IoStatistics(devices);
    }
}

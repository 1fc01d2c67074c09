using System.Collections.Generic;
using System.Globalization;

namespace LinuxIsolation.Cgroups;

/// <summary>A PSI pressure file (cpu.pressure, memory.pressure, io.pressure), Linux 4.20.</summary>
/// <param name="Some">"some": time at least one task was stalled.</param>
/// <param name="Full">"full": time all non-idle tasks were stalled at once; null where the file has no such line.</param>
public sealed record PressureStatistics(PressureLine Some, PressureLine? Full)
{
    internal static PressureStatistics Parse(string text)
    {
        PressureLine? some = null, full = null;
        foreach ((string key, Dictionary<string, string> v) in CgroupParser.ParseNestedKeyed(text))
        {
            var line = new PressureLine(D(v, "avg10"), D(v, "avg60"), D(v, "avg300"),
                v.TryGetValue("total", out string? t) ? CgroupParser.ParseValue(t) : 0);
            if (key == "some")
            {
                some = line;
            }
            else if (key == "full")
            {
                full = line;
            }
        }

        return new PressureStatistics(some ?? new PressureLine(0, 0, 0, 0), full);
    }

    private static double D(Dictionary<string, string> v, string key) =>
        v.TryGetValue(key, out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0;
}

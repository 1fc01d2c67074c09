using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// The counters of <c>memory.events</c> (Linux 4.5; <c>oom_kill</c> 4.13, <c>oom_group_kill</c> 5.18): how often
/// the cgroup (and its descendants) hit each boundary. Needs the memory controller.
/// </summary>
/// <param name="Low">Times reclaimed below memory.low because of high pressure.</param>
/// <param name="High">Times throttled and reclaimed because memory.high was exceeded.</param>
/// <param name="Max">Times usage was about to go over memory.max.</param>
/// <param name="Oom">Times an allocation failed at memory.max (the OOM path was entered).</param>
/// <param name="OomKill">Processes killed by the OOM killer.</param>
/// <param name="OomGroupKill">Times the whole group was OOM-killed (memory.oom.group); null before Linux 5.18.</param>
/// <param name="All">Every counter the file holds, by its name, so nothing is lost.</param>
public sealed record MemoryEvents(long Low, long High, long Max, long Oom, long OomKill, long? OomGroupKill, IReadOnlyDictionary<string, long> All)
{
    internal static MemoryEvents Parse(string text)
    {
        var v = CgroupParser.ParseFlatKeyed(text);
        return new MemoryEvents(
            v.GetValueOrDefault("low"), v.GetValueOrDefault("high"), v.GetValueOrDefault("max"), v.GetValueOrDefault("oom"),
            v.GetValueOrDefault("oom_kill"), v.TryGetValue("oom_group_kill", out long g) ? g : null, v);
    }
}

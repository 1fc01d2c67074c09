namespace LinuxIsolation.Cgroups;

/// <summary>The contents of <c>cgroup.events</c> (Linux 4.5; <c>frozen</c> 5.2).</summary>
/// <param name="Populated">True while the cgroup or a descendant has a live process.</param>
/// <param name="Frozen">True once every process of the cgroup is frozen (false before Linux 5.2).</param>
public sealed record CgroupEventsState(bool Populated, bool Frozen)
{
    internal static CgroupEventsState Parse(string text)
    {
        var values = CgroupParser.ParseFlatKeyed(text);
        return new CgroupEventsState(
            values.TryGetValue("populated", out long p) && p != 0,
            values.TryGetValue("frozen", out long f) && f != 0);
    }
}

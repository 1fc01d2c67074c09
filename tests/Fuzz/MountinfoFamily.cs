using System;
using System.Collections.Generic;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// <c>/proc/self/mountinfo</c>: <c>CgroupHierarchy.Parse</c> (fields, optional fields, the "-" separator,
/// octal escapes, cgroup2 and cgroup v1 lines) and <c>RelativeToMount</c> over the parsed root. Documented:
/// <see cref="InvalidOperationException"/> when the text has no cgroup2 mount or a cgroup lies outside it;
/// malformed lines are skipped.
/// </summary>
internal sealed class MountinfoFamily : Family
{
    private static readonly string[] Paths = ["/", "", "/a", "/a/b", "/..", "//", "/ü"];
    private readonly TextMutator _mutator;
    private long _sink;

    public MountinfoFamily(IReadOnlyList<string> seeds) => _mutator = new TextMutator(seeds);

    public override string Name => "mountinfo";

    public override string Decoders => "CgroupHierarchy.Parse (mountinfo lines, optional fields, octal escapes, cgroup2/cgroup v1 mounts), CgroupHierarchy.RelativeToMount";

    public override string DocumentedException => nameof(InvalidOperationException) + " (no cgroup2 mount; a cgroup outside the mount)";

    public override int SeedCount => _mutator.SeedCount;

    public override IEnumerable<byte[]> SeedInputs() => _mutator.SeedTexts();

    public override byte[] NextInput(ref Rng rng) => _mutator.Next(ref rng);

    protected override void Decode(byte[] input)
    {
        CgroupHierarchy hierarchy;
        try
        {
            hierarchy = CgroupHierarchy.Parse(AsText(input));
        }
        catch (InvalidOperationException e)
        {
            Rejection(e);
            return;
        }

        _sink += hierarchy.MountPoint.Length + hierarchy.MountRoot.Length;
        foreach (KeyValuePair<string, string> v1 in hierarchy.V1Controllers)
        {
            _sink += v1.Key.Length + v1.Value.Length;
        }

        foreach (string path in Paths)
        {
            Relative(hierarchy, path);
        }

        Relative(hierarchy, hierarchy.MountRoot);
        Relative(hierarchy, hierarchy.MountRoot + "/child");
    }

    private void Relative(CgroupHierarchy hierarchy, string path)
    {
        try
        {
            _sink += hierarchy.RelativeToMount(path).Length;
        }
        catch (InvalidOperationException e)
        {
            Rejection(e);
        }
    }
}

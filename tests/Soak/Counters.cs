using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;

namespace Soak;

/// <summary>One reading of everything the soak run must give back: the process's own resources and what it made in the kernel.</summary>
internal sealed class Counters
{
    /// <summary>The counters in print order; RSS is the one compared against a bound rather than for equality.</summary>
    public static readonly string[] Names =
    [
        "open fds", "threads", "RSS (KiB)", "zombie children", "mounts", "netns entries (prefix)",
        "links (host ns)", "nft tables (host ns)", "cgroups (soak subtree)", "owner-tagged objects",
    ];

    public const string Rss = "RSS (KiB)";

    public Dictionary<string, long> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>What each open fd points to ("N -> target"), to name the fds that leaked when the count moved.</summary>
    public List<string> FileDescriptors { get; } = [];

    /// <summary>The mount points counted, to name the mounts that moved.</summary>
    public List<string> MountPoints { get; } = [];

    /// <summary>Reads every counter; collects garbage first so finalizable handles are closed.</summary>
    public static Counters Read(SoakWorld world, ResourceOwner owner)
    {
        string netnsPrefix = world.Prefix;
        RtnetlinkClient hostRt = world.HostRt!;
        NftablesClient hostNft = world.HostNft!;
        Cgroup soakCgroup = world.SoakCgroup!;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var c = new Counters();
        // Managed assemblies are left out: the runtime opens one's file when code first uses it and keeps it open.
        c.FileDescriptors.AddRange(LinuxIsolation.TestShared.ProcStat.Descriptors());

        c.Values["open fds"] = c.FileDescriptors.Count;
        c.Values["threads"] = Directory.GetDirectories("/proc/self/task").Length;
        c.Values[Rss] = ReadRssKiB();
        c.Values["zombie children"] = CountZombieChildren(Environment.ProcessId);
        // This process shares the machine's mount namespace, where every named network namespace of anyone
        // (other test runs too) is a bind mount under /run/netns: those of other owners are not ours to count.
        foreach (string line in File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] f = line.Split(' ');
            string mountPoint = f.Length > 4 ? f[4] : line;
            if (mountPoint.StartsWith("/run/netns/", StringComparison.Ordinal) && !mountPoint.StartsWith("/run/netns/" + netnsPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            c.MountPoints.Add(mountPoint);
        }

        c.Values["mounts"] = c.MountPoints.Count;
        c.Values["netns entries (prefix)"] = Directory.Exists("/run/netns")
            ? Directory.GetFileSystemEntries("/run/netns").Count(p => Path.GetFileName(p).StartsWith(netnsPrefix, StringComparison.Ordinal))
            : 0;
        c.Values["links (host ns)"] = hostRt.ListLinks().Count;
        c.Values["nft tables (host ns)"] = hostNft.ListTables().Count;
        c.Values["cgroups (soak subtree)"] = Directory.GetDirectories(soakCgroup.Path, "*", SearchOption.AllDirectories).Length;
        // What Leftovers.Find sees of this owner (live, so all of it "kept"): named namespaces, links in them and in
        // the soak's host namespace, and cgroups in the soak subtree.
        LeftoverSurvey survey = Leftovers.Find(owner.Name, new LeftoverScope
        {
            CurrentNetworkNamespace = false,
            NetworkNamespaces = [world.Host!],
            CgroupSubtrees = [soakCgroup],
        });
        // Only this process's: another run of the soak (same owner name) may be working beside it.
        c.Values["owner-tagged objects"] = survey.Orphans.Concat(survey.Kept).Count(l => l.Owner == owner);
        return c;
    }

    private static long ReadRssKiB()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no VmRSS line in /proc/self/status");
    }

    /// <summary>Processes in state Z whose parent is <paramref name="pid"/>.</summary>
    public static int CountZombieChildren(int pid) => LinuxIsolation.TestShared.ProcStat.Children(pid, zombiesOnly: true).Count;
}

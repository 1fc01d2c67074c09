using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Ownership;
using LinuxIsolation.Tests.Cgroups;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Ownership;

/// <summary>
/// Recovery after a crash: a child process (tests/OwnerCrashChild) creates tagged objects and is killed with SIGKILL
/// mid-setup; <see cref="Leftovers"/> must find exactly what it left and remove it, and never touch what belongs to
/// a live owner, to another owner, or to nobody.
/// </summary>
public class LeftoverCrashTests
{
    /// <summary>What one crashed child made.</summary>
    private sealed record Crashed(string Owner, string Tag, int Pid, string Netns, string Outer, string Inner, string CgroupPath, string Table, int SleepPid, ulong SleepStart);

    [Fact]
    public void WhatAKilledProcessLeftIsFoundExactlyAndRemoved()
    {
        Privileged.Require();
        using var cgroups = new TestCgroup();
        string worldName = NsTool.UniqueName("own-world");
        Crashed? crashed = null;
        string childNetns = NsTool.UniqueName("own-dead");
        try
        {
            using NetworkNamespace world = NetworkNamespace.CreateNamed(worldName);
            crashed = Crash(OwnerWorld.OwnerName("crash"), worldName, cgroups.Group, childNetns);

            // Independent tools see what the child made before it was killed.
            Assert.Contains(crashed.Netns, NsTool.IpNetnsList());
            Assert.Equal(crashed.Tag, OwnerWorld.IpAlias(crashed.Netns, "lo"));
            Assert.Equal(crashed.Tag, OwnerWorld.IpAlias(worldName, crashed.Outer));
            Assert.Equal(crashed.Tag, OwnerWorld.IpAlias(crashed.Netns, crashed.Inner));
            Assert.Equal(crashed.Tag, OwnerWorld.GetFattr(crashed.CgroupPath));
            Assert.Contains($"comment \"{crashed.Tag}\"", OwnerWorld.NftListTable(crashed.Netns, crashed.Table), StringComparison.Ordinal);
            Assert.Equal(crashed.CgroupPath, TestCgroup.Cgroup2MountPoint() + TestCgroup.CgroupOf(crashed.SleepPid));

            LeftoverSurvey survey = Leftovers.Find(crashed.Owner, new LeftoverScope { CgroupSubtrees = [cgroups.Group] });
            Assert.Empty(survey.Kept);
            Assert.Equal(
                new[]
                {
                    (LeftoverKind.NetworkNamespace, crashed.Netns, (string?)crashed.Netns),
                    (LeftoverKind.Link, crashed.Outer, worldName),
                    (LeftoverKind.Link, crashed.Inner, crashed.Netns),
                    (LeftoverKind.NftTable, crashed.Table, crashed.Netns),
                    (LeftoverKind.Cgroup, crashed.CgroupPath, null),
                }.Order(),
                survey.Orphans.Select(o => (o.Kind, o.Name, o.NetworkNamespace)).Order());
            foreach (Leftover orphan in survey.Orphans)
            {
                Assert.Equal(crashed.Pid, orphan.Owner.ProcessId);
                Assert.Equal(crashed.Tag, orphan.Owner.Tag);
                Assert.Equal(OwnerState.Dead, orphan.State);
                Assert.Contains($"process {crashed.Pid} has exited", orphan.Reason, StringComparison.Ordinal);
            }

            IReadOnlyList<LeftoverRemoval> removals = Leftovers.Remove(survey.Orphans);
            Assert.Equal(5, removals.Count);
            Assert.All(removals, r => Assert.True(r.Succeeded, r.Leftover + ": " + r.Status + " " + r.Detail));
            Assert.Equal(LeftoverKind.Cgroup, removals[0].Leftover.Kind);
            Assert.Equal(LeftoverRemovalStatus.Removed, removals[0].Status);
            Assert.Equal(LeftoverRemovalStatus.Removed, removals.Single(r => r.Leftover.Kind == LeftoverKind.NetworkNamespace).Status);
            Assert.Equal(LeftoverRemovalStatus.RemovedWithNamespace, removals.Single(r => r.Leftover.Name == crashed.Inner).Status);
            Assert.Equal(LeftoverRemovalStatus.RemovedWithNamespace, removals.Single(r => r.Leftover.Name == crashed.Table).Status);
            Assert.Contains(removals.Single(r => r.Leftover.Name == crashed.Outer).Status, new[] { LeftoverRemovalStatus.Removed, LeftoverRemovalStatus.AlreadyGone });

            // Nothing remains, per the independent tools: no namespace, no veth end, no cgroup, no workload.
            Assert.DoesNotContain(crashed.Netns, NsTool.IpNetnsList());
            Assert.DoesNotContain(crashed.Outer, OwnerWorld.IpLinks(worldName));
            Assert.False(Directory.Exists(crashed.CgroupPath));
            Assert.True(OwnerWorld.WaitUntilGone(crashed.SleepPid, crashed.SleepStart), $"the crashed owner's workload (pid {crashed.SleepPid}) still runs");
            Assert.Empty(Leftovers.Find(crashed.Owner, new LeftoverScope { CgroupSubtrees = [cgroups.Group] }).Orphans);
        }
        finally
        {
            CleanUp(crashed);
            OwnerWorld.DeleteNamespaceIfPresent(childNetns); // also when the child failed before "ready"
            OwnerWorld.DeleteNamespaceIfPresent(worldName);
        }
    }

    [Fact]
    public void ALiveOwnersAnotherOwnersAndUntaggedObjectsAreNeverTouched()
    {
        Privileged.Require();
        using var cgroups = new TestCgroup();
        string worldName = NsTool.UniqueName("own-safe");
        string liveNetns = NsTool.UniqueName("own-live");
        string untaggedNetns = NsTool.UniqueName("own-none");
        ResourceOwner live = ResourceOwner.Current(OwnerWorld.OwnerName("live"));
        string a = OwnerWorld.LinkName('a'), b = OwnerWorld.LinkName('b'), plain = OwnerWorld.LinkName('p');
        string liveTable = OwnerWorld.Name("t");
        Crashed? other = null;
        string otherNetns = NsTool.UniqueName("own-dead");
        try
        {
            using NetworkNamespace world = NetworkNamespace.CreateNamed(worldName);
            using NetworkNamespace liveNs = NetworkNamespace.CreateNamed(liveNetns, live);
            using NetworkNamespace untagged = NetworkNamespace.CreateNamed(untaggedNetns);
            using (RtnetlinkClient rtnetlink = world.OpenRtnetlink())
            {
                rtnetlink.CreateVeth(a, b, liveNs, live);
                Link p = rtnetlink.CreateBridge(plain);
                rtnetlink.SetLinkAlias(p.Index, "lxi-owner name=" + live.Name + " but not a tag");
            }

            using (var nft = new NftablesClient(liveNs.OpenNetlinkSocket(NetlinkProtocol.Netfilter)))
            {
                nft.Commit(new NftTransaction().CreateTable(NftFamily.Inet, liveTable, live).AddTable(NftFamily.Inet, live.Name));
            }

            using Cgroup liveGroup = cgroups.Group.CreateChild("live", live);
            using Cgroup untaggedGroup = cgroups.Group.CreateChild("untagged");

            // Another owner crashed: its objects are leftovers, but only for a search by its own name.
            other = Crash(OwnerWorld.OwnerName("other"), worldName, cgroups.Group, otherNetns);
            var scope = new LeftoverScope { CgroupSubtrees = [cgroups.Group] };

            LeftoverSurvey mine = Leftovers.Find(live.Name, scope);
            Assert.Empty(mine.Orphans);
            Assert.Equal(
                new[]
                {
                    (LeftoverKind.NetworkNamespace, liveNetns),
                    (LeftoverKind.Link, a),
                    (LeftoverKind.Link, b),
                    (LeftoverKind.NftTable, liveTable),
                    (LeftoverKind.Cgroup, liveGroup.Path),
                }.Order(),
                mine.Kept.Select(k => (k.Kind, k.Name)).Order());
            Assert.All(mine.Kept, k => Assert.Equal(OwnerState.Alive, k.State));

            // Removing what is kept, even when a caller claims its owner is dead, is refused object by object.
            IReadOnlyList<LeftoverRemoval> refused = Leftovers.Remove(mine.Kept.Select(k => k with { State = OwnerState.Dead }));
            Assert.All(refused, r => Assert.Equal(LeftoverRemovalStatus.Skipped, r.Status));

            LeftoverSurvey theirs = Leftovers.Find(other.Owner, scope);
            Assert.Empty(theirs.Kept);
            Assert.Equal(5, theirs.Orphans.Count);
            Assert.All(theirs.Orphans, o => Assert.Equal(other.Pid, o.Owner.ProcessId));
            Assert.All(Leftovers.Remove(theirs.Orphans), r => Assert.True(r.Succeeded, r.Leftover + ": " + r.Detail));

            // The live owner's objects and the untagged ones are all still there, per the independent tools.
            List<string> namespaces = NsTool.IpNetnsList();
            Assert.Contains(liveNetns, namespaces);
            Assert.Contains(untaggedNetns, namespaces);
            Assert.DoesNotContain(other.Netns, namespaces);
            Assert.Equal(live.Tag, OwnerWorld.IpAlias(liveNetns, "lo"));
            Assert.Equal(live.Tag, OwnerWorld.IpAlias(worldName, a));
            Assert.Equal(live.Tag, OwnerWorld.IpAlias(liveNetns, b));
            Assert.Contains(plain, OwnerWorld.IpLinks(worldName));
            Assert.Equal(new[] { liveTable, live.Name }.Order(), OwnerWorld.NftTables(liveNetns).Order());
            Assert.Equal(live.Tag, OwnerWorld.GetFattr(liveGroup.Path));
            Assert.True(Directory.Exists(untaggedGroup.Path));
            Assert.False(Directory.Exists(other.CgroupPath));
        }
        finally
        {
            CleanUp(other);
            OwnerWorld.DeleteNamespaceIfPresent(otherNetns);
            OwnerWorld.DeleteNamespaceIfPresent(liveNetns);
            OwnerWorld.DeleteNamespaceIfPresent(untaggedNetns);
            OwnerWorld.DeleteNamespaceIfPresent(worldName);
        }
    }

    [Fact]
    public void AReusedPidIsDeadAndACgroupHoldingAnotherOwnersCgroupIsNotRemoved()
    {
        Privileged.Require();
        using var cgroups = new TestCgroup();
        ResourceOwner me = ResourceOwner.Current(OwnerWorld.OwnerName("reuse"));

        // Same pid as this live process, earlier start time: the process that made it is gone and its pid reused.
        var ghost = new ResourceOwner(me.Name, me.ProcessId, me.StartTime - 1, me.PidNamespace);
        ResourceOwner stranger = ResourceOwner.Current(OwnerWorld.OwnerName("stranger"));
        using Cgroup lone = cgroups.Group.CreateChild("lone", ghost);
        using Cgroup holder = cgroups.Group.CreateChild("holder", ghost);
        using Cgroup foreign = holder.CreateChild("foreign", stranger);
        using Cgroup inner = lone.CreateChild("inner");

        LeftoverSurvey survey = Leftovers.Find(me.Name, new LeftoverScope { CgroupSubtrees = [cgroups.Group], NamedNetworkNamespaces = false, CurrentNetworkNamespace = false });
        Assert.Equal(new[] { holder.Path, lone.Path }, survey.Orphans.Select(o => o.Name).Order());
        Assert.All(survey.Orphans, o => Assert.Contains("now belongs to a process started at tick", o.Reason, StringComparison.Ordinal));

        IReadOnlyList<LeftoverRemoval> removals = Leftovers.Remove(survey.Orphans);
        LeftoverRemoval held = removals.Single(r => r.Leftover.Name == holder.Path);
        Assert.Equal(LeftoverRemovalStatus.Failed, held.Status);
        Assert.Contains(foreign.Path, held.Detail, StringComparison.Ordinal);
        Assert.Equal(LeftoverRemovalStatus.Removed, removals.Single(r => r.Leftover.Name == lone.Path).Status);

        Assert.False(Directory.Exists(lone.Path));
        Assert.True(Directory.Exists(foreign.Path));
        Assert.Equal(stranger.Tag, OwnerWorld.GetFattr(foreign.Path));
    }

    [Fact]
    public void ProcessesInALeftoverCgroupAreKilledOnlyWhenAsked()
    {
        Privileged.Require();
        using var cgroups = new TestCgroup();
        ResourceOwner me = ResourceOwner.Current(OwnerWorld.OwnerName("busy"));
        var ghost = new ResourceOwner(me.Name, me.ProcessId, me.StartTime - 1, me.PidNamespace);
        using Cgroup busy = cgroups.Group.CreateChild("busy", ghost);
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "1000") { UseShellExecute = false })!;
        try
        {
            busy.AddProcess(sleep.Id);
            var scope = new LeftoverScope { CgroupSubtrees = [cgroups.Group], NamedNetworkNamespaces = false, CurrentNetworkNamespace = false };
            Leftover orphan = Assert.Single(Leftovers.Find(me.Name, scope).Orphans);

            LeftoverRemoval refused = Assert.Single(Leftovers.Remove([orphan], killProcesses: false));
            Assert.Equal(LeftoverRemovalStatus.Failed, refused.Status);
            Assert.Contains("still has processes", refused.Detail, StringComparison.Ordinal);
            Assert.False(sleep.HasExited);
            Assert.True(Directory.Exists(busy.Path));

            LeftoverRemoval removed = Assert.Single(Leftovers.Remove([orphan]));
            Assert.Equal(LeftoverRemovalStatus.Removed, removed.Status);
            Assert.True(sleep.WaitForExit(10_000));
            Assert.False(Directory.Exists(busy.Path));

            LeftoverRemoval again = Assert.Single(Leftovers.Remove([orphan]));
            Assert.Equal(LeftoverRemovalStatus.AlreadyGone, again.Status);
        }
        finally
        {
            if (!sleep.HasExited)
            {
                sleep.Kill();
            }
        }
    }

    /// <summary>Starts the crash child with fresh names, waits for "ready", SIGKILLs it and reaps it.</summary>
    private static Crashed Crash(string owner, string worldName, Cgroup cgroupParent, string netns)
    {
        string outer = OwnerWorld.LinkName('o'), inner = OwnerWorld.LinkName('i');
        string cgroupName = OwnerWorld.Name("cg"), table = OwnerWorld.Name("t");
        (Process child, string tag, int sleepPid) = OwnerWorld.StartCrashChild(owner, netns, worldName, outer, inner, cgroupParent.Path, cgroupName, table);
        int pid = child.Id;
        ulong sleepStart = ProcessSnapshot.Read(sleepPid)!.StartTime;
        using (child)
        {
            OwnerWorld.KillAndWait(child);
            Assert.Equal(128 + 9, child.ExitCode);
        }

        Assert.Null(ProcessSnapshot.Read(pid));
        return new Crashed(owner, tag, pid, netns, outer, inner, cgroupParent.Path + "/" + cgroupName, table, sleepPid, sleepStart);
    }

    /// <summary>After a failed test: removes what a crashed child may have left (the cgroup goes with TestCgroup).</summary>
    private static void CleanUp(Crashed? crashed)
    {
        if (crashed is null)
        {
            return;
        }

        OwnerWorld.DeleteNamespaceIfPresent(crashed.Netns);
        if (ProcessSnapshot.Read(crashed.SleepPid) is { } s && s.StartTime == crashed.SleepStart)
        {
            try
            {
                using var sleep = Process.GetProcessById(crashed.SleepPid);
                sleep.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
    }
}

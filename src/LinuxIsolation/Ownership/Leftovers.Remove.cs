using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Ownership;

public static partial class Leftovers
{
    /// <summary>
    /// Removes <paramref name="leftovers"/> (from <see cref="LeftoverSurvey.Orphans"/>) and reports on each. Order:
    /// cgroups first, deepest first (their processes are killed with <c>cgroup.kill</c>, so nothing of the dead owner
    /// keeps a namespace alive); then named namespaces (<c>ip netns delete</c>: the links and tables inside go with
    /// them, reported <see cref="LeftoverRemovalStatus.RemovedWithNamespace"/>); then links (<c>ip link del</c>) and
    /// tables (<c>nft delete table</c>) elsewhere. Before removing anything it reads the object's tag again and checks
    /// the owner once more; a namespace replaced by another of the same name, a changed tag, or a leftover whose
    /// owner is not dead is <see cref="LeftoverRemovalStatus.Skipped"/>. One failure does not stop the others.
    /// </summary>
    /// <param name="leftovers">What to remove, as <see cref="Find"/> returned it.</param>
    /// <param name="killProcesses">
    /// Kill the processes still in leftover cgroups (default true: the dead owner's workloads). When false, a
    /// cgroup with processes fails instead.
    /// </param>
    /// <param name="cgroupTimeout">How long to wait for a cgroup's processes to go (default 10 s).</param>
    /// <returns>One result per leftover, in removal order.</returns>
    public static IReadOnlyList<LeftoverRemoval> Remove(IEnumerable<Leftover> leftovers, bool killProcesses = true, TimeSpan? cgroupTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(leftovers);
        List<Leftover> items = [.. leftovers];
        foreach (Leftover item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(leftovers));
        }

        ulong pidNamespace = ProcessSnapshot.CurrentPidNamespace();
        var results = new List<LeftoverRemoval>(items.Count);
        var removedNamespaces = new HashSet<string>(StringComparer.Ordinal);

        foreach (Leftover cgroup in items.Where(i => i.Kind == LeftoverKind.Cgroup).OrderByDescending(i => i.Name.Count(c => c == '/')))
        {
            results.Add(Guarded(cgroup, pidNamespace, () => RemoveCgroup(cgroup, pidNamespace, killProcesses, cgroupTimeout ?? TimeSpan.FromSeconds(10))));
        }

        foreach (Leftover ns in items.Where(i => i.Kind == LeftoverKind.NetworkNamespace))
        {
            LeftoverRemoval result = Guarded(ns, pidNamespace, () => RemoveNamespace(ns, pidNamespace));
            if (result.Status == LeftoverRemovalStatus.Removed)
            {
                removedNamespaces.Add(ns.Name);
            }

            results.Add(result);
        }

        foreach (Leftover item in items.Where(i => i.Kind is LeftoverKind.Link or LeftoverKind.NftTable))
        {
            if (item.InsideNamedNamespace && removedNamespaces.Contains(item.NetworkNamespace!))
            {
                results.Add(new LeftoverRemoval(item, LeftoverRemovalStatus.RemovedWithNamespace,
                    $"network namespace {item.NetworkNamespace} was removed; the kernel frees what is inside once nothing holds the namespace"));
                continue;
            }

            results.Add(Guarded(item, pidNamespace, () => RemoveInNamespace(item, pidNamespace)));
        }

        return results;
    }

    /// <summary>Refuses what is not a dead owner's, then runs the removal and turns its errors into a result.</summary>
    private static LeftoverRemoval Guarded(Leftover item, ulong pidNamespace, Func<LeftoverRemoval> remove)
    {
        if (item.State != OwnerState.Dead || ProcessSnapshot.Judge(item.Owner, pidNamespace, ProcessSnapshot.Read(item.Owner.ProcessId), out _) != OwnerState.Dead)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, "its owner is not dead: only a dead owner's leftovers are removed");
        }

        try
        {
            return remove();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException or AggregateException or InvalidOperationException or System.IO.IOException)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.Failed, e.Message, e);
        }
    }

    /// <summary>True when <paramref name="tag"/> is the leftover's own tag and that owner is still dead.</summary>
    private static bool StillOrphaned(Leftover item, ResourceOwner? tag, ulong pidNamespace, out string why)
    {
        if (tag is null || tag != item.Owner)
        {
            why = tag is null ? "its tag is gone" : $"its tag changed to '{tag.Tag}'";
            return false;
        }

        if (ProcessSnapshot.Judge(tag, pidNamespace, ProcessSnapshot.Read(tag.ProcessId), out string reason) != OwnerState.Dead)
        {
            why = "its owner is not dead: " + reason;
            return false;
        }

        why = string.Empty;
        return true;
    }

    private static LeftoverRemoval RemoveCgroup(Leftover item, ulong pidNamespace, bool killProcesses, TimeSpan timeout)
    {
        CgroupHierarchy hierarchy = item.CgroupHierarchy ?? CgroupHierarchy.Find();
        Cgroup cgroup;
        try
        {
            cgroup = Cgroup.Open(item.Name, hierarchy);
        }
        catch (CgroupException e) when (e.Errno == Errno.ENOENT)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"{item.Name} no longer exists");
        }

        using (cgroup)
        {
            if (!StillOrphaned(item, cgroup.ReadOwner(), pidNamespace, out string why))
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"{item.Name} was left alone: {why}");
            }

            string? blocker = FindForeignDescendant(cgroup, item.Owner.Name, pidNamespace);
            if (blocker is not null)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Failed, $"{item.Name} was not removed: it holds {blocker}");
            }

            if (!killProcesses && cgroup.ReadEventsState().Populated)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Failed, $"{item.Name} was not removed: it still has processes (pass killProcesses: true to kill them)");
            }

            if (cgroup.IsRoot)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Failed, "the root cgroup cannot be removed");
            }
        }

        string parentPath = item.Name.Substring(0, item.Name.LastIndexOf('/'));
        using Cgroup parent = Cgroup.Open(parentPath, hierarchy);
        parent.DeleteChild(item.Name.Substring(item.Name.LastIndexOf('/') + 1), timeout);
        return new LeftoverRemoval(item, LeftoverRemovalStatus.Removed, $"{item.Name} removed (its processes killed, its untagged descendants with it)");
    }

    /// <summary>
    /// A descendant that removing <paramref name="cgroup"/> would take with it but that is not a dead owner's
    /// leftover of the same name (tagged by another owner, or by a live one), described; null when there is none.
    /// Untagged descendants count as part of their tagged ancestor.
    /// </summary>
    private static string? FindForeignDescendant(Cgroup cgroup, string owner, ulong pidNamespace)
    {
        foreach (string name in cgroup.ListChildren())
        {
            if (!CgroupName.IsValid(name))
            {
                return $"{cgroup.Path}/{name}, whose name this library does not open";
            }

            using Cgroup child = cgroup.OpenChild(name);
            ResourceOwner? tag = child.ReadOwner();
            if (tag is not null && (!string.Equals(tag.Name, owner, StringComparison.Ordinal)
                || ProcessSnapshot.Judge(tag, pidNamespace, ProcessSnapshot.Read(tag.ProcessId), out _) != OwnerState.Dead))
            {
                return $"{child.Path}, tagged by {tag.Name} (pid {tag.ProcessId}), which is not a leftover";
            }

            string? deeper = FindForeignDescendant(child, owner, pidNamespace);
            if (deeper is not null)
            {
                return deeper;
            }
        }

        return null;
    }

    private static LeftoverRemoval RemoveNamespace(Leftover item, ulong pidNamespace)
    {
        NetworkNamespace ns;
        try
        {
            ns = NetworkNamespace.Open(item.Name);
        }
        catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"netns {item.Name} no longer exists");
        }

        using (ns)
        {
            if (item.NetworkNamespaceId is NamespaceId id && ns.Id != id)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"netns {item.Name} was left alone: it is another namespace now ({ns.Id}, was {id})");
            }

            if (!StillOrphaned(item, ns.ReadOwner(), pidNamespace, out string why))
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"netns {item.Name} was left alone: {why}");
            }
        }

        NetworkNamespace.Delete(item.Name);
        return new LeftoverRemoval(item, LeftoverRemovalStatus.Removed, $"netns {item.Name} removed (unmounted and unlinked)");
    }

    private static LeftoverRemoval RemoveInNamespace(Leftover item, ulong pidNamespace)
    {
        NetworkNamespace ns;
        bool owned = true;
        if (item.NetworkNamespace is not null)
        {
            try
            {
                ns = NetworkNamespace.Open(item.NetworkNamespace);
            }
            catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"netns {item.NetworkNamespace} no longer exists");
            }
        }
        else if (item.ScannedNamespace is not null)
        {
            ns = item.ScannedNamespace;
            owned = false;
        }
        else
        {
            ns = NetworkNamespace.OpenCurrent();
        }

        try
        {
            if (item.NetworkNamespaceId is NamespaceId id && ns.Id != id)
            {
                return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped,
                    $"{item.Kind} {item.Name} was left alone: its namespace is not the one it was found in ({ns.Id}, was {id})");
            }

            return item.Kind == LeftoverKind.Link ? RemoveLink(item, ns, pidNamespace) : RemoveTable(item, ns, pidNamespace);
        }
        finally
        {
            if (owned)
            {
                ns.Dispose();
            }
        }
    }

    private static LeftoverRemoval RemoveLink(Leftover item, NetworkNamespace ns, ulong pidNamespace)
    {
        using RtnetlinkClient rtnetlink = ns.OpenRtnetlink();
        Link link;
        try
        {
            link = rtnetlink.GetLink(item.LinkIndex ?? throw new ArgumentException("a link leftover without an index", nameof(item)));
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"link {item.Name} no longer exists");
        }

        if (link.Name != item.Name)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"link {item.Name} was left alone: index {link.Index} is now {link.Name}");
        }

        if (!StillOrphaned(item, link.GetOwner(), pidNamespace, out string why))
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"link {item.Name} was left alone: {why}");
        }

        try
        {
            rtnetlink.DeleteLink(link.Index);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"link {item.Name} went away meanwhile");
        }

        return new LeftoverRemoval(item, LeftoverRemovalStatus.Removed, $"link {item.Name} deleted");
    }

    private static LeftoverRemoval RemoveTable(Leftover item, NetworkNamespace ns, ulong pidNamespace)
    {
        NftFamily family = item.TableFamily ?? throw new ArgumentException("a table leftover without a family", nameof(item));
        using var nft = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        NftTable? table = nft.GetTable(family, item.Name);
        if (table is null)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"table {item.Name} no longer exists");
        }

        if (!StillOrphaned(item, table.GetOwner(), pidNamespace, out string why))
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.Skipped, $"table {item.Name} was left alone: {why}");
        }

        try
        {
            nft.Commit(new NftTransaction().DeleteTable(family, item.Name));
        }
        catch (NftTransactionException e) when (e.NativeErrorCode == Errno.ENOENT)
        {
            return new LeftoverRemoval(item, LeftoverRemovalStatus.AlreadyGone, $"table {item.Name} went away meanwhile");
        }

        return new LeftoverRemoval(item, LeftoverRemovalStatus.Removed, $"table {table} deleted");
    }
}

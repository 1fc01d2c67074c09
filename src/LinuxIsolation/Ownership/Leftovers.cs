using System;
using System.Collections.Generic;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Ownership;

/// <summary>
/// Recovery after a crash: finds what processes of an owner that are no longer running left behind (tagged named
/// network namespaces, links, nf_tables tables and cgroups; see <see cref="ResourceOwner"/>) and removes it.
/// Like a CNI runtime's garbage collection or systemd reading its cgroups' extended attributes after a restart,
/// but the only state is the tags in the kernel's objects: the crashed process kept none.
/// </summary>
/// <remarks>
/// <para>
/// Safety rules: an object is a leftover only when its tag parses, names the same owner, and names a process that
/// is dead (gone, a zombie, or its pid reused by a process with another start time). Objects of a live owner, of
/// an owner in another pid namespace, of another owner, and untagged objects are never removed; removal looks at
/// each object again just before removing it.
/// </para>
/// <para>
/// Needs CAP_SYS_ADMIN (entering namespaces, unmounting <c>/run/netns</c> entries), CAP_NET_ADMIN (links, tables) and
/// write access to the cgroup subtrees. Tags on tables need Linux 5.13, on cgroups 5.7.
/// </para>
/// </remarks>
public static partial class Leftovers
{
    /// <summary>
    /// Looks for objects tagged by <paramref name="owner"/> in <paramref name="scope"/> (default: every named network
    /// namespace and the caller's current one; cgroups only in subtrees the scope names) and sorts them into orphans
    /// (the creating process is dead) and kept (alive or not checkable). Changes nothing. Equivalent to reading
    /// <c>ip -n NS -d link show</c> aliases, <c>nft list tables</c> comments and <c>getfattr -n user.linuxisolation.owner</c>
    /// on each cgroup.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="owner"/> is not a valid owner name.</exception>
    public static LeftoverSurvey Find(string owner, LeftoverScope? scope = null)
    {
        ResourceOwner.ValidateName(owner);
        scope ??= new LeftoverScope();
        var survey = new Survey(owner, ProcessSnapshot.CurrentPidNamespace());
        var seen = new HashSet<NamespaceId>();
        if (scope.NamedNetworkNamespaces)
        {
            foreach (string name in NetworkNamespace.List())
            {
                NetworkNamespace ns;
                try
                {
                    ns = NetworkNamespace.Open(name);
                }
                catch (LinuxSyscallException e) when (e.Errno == Errno.ENOENT)
                {
                    continue; // deleted meanwhile
                }
                catch (Exception e) when (e is LinuxSyscallException or ArgumentException)
                {
                    survey.Warnings.Add($"netns {name}: not scanned: {e.Message}");
                    continue;
                }

                using (ns)
                {
                    if (seen.Add(ns.Id))
                    {
                        ScanNamespace(survey, scope, ns, name, scanned: null);
                    }
                }
            }
        }

        if (scope.CurrentNetworkNamespace)
        {
            using NetworkNamespace current = NetworkNamespace.OpenCurrent();
            if (seen.Add(current.Id))
            {
                ScanNamespace(survey, scope, current, name: null, scanned: null);
            }
        }

        foreach (NetworkNamespace ns in scope.NetworkNamespaces)
        {
            ArgumentNullException.ThrowIfNull(ns, nameof(scope));
            if (seen.Add(ns.Id))
            {
                ScanNamespace(survey, scope, ns, ns.Name, scanned: ns.Name is null ? ns : null);
            }
        }

        foreach (Cgroup subtree in scope.CgroupSubtrees)
        {
            ArgumentNullException.ThrowIfNull(subtree, nameof(scope));
            ScanCgroups(survey, subtree);
        }

        return new LeftoverSurvey(survey.Orphans, survey.Kept, survey.Warnings);
    }

    private static void ScanNamespace(Survey survey, LeftoverScope scope, NetworkNamespace ns, string? name, NetworkNamespace? scanned)
    {
        string where = name is null ? $"net:[{ns.Id.Inode}]" : $"netns {name}";
        try
        {
            using RtnetlinkClient rtnetlink = ns.OpenRtnetlink();
            foreach (Link link in rtnetlink.ListLinks())
            {
                if (!survey.IsOurs(link.Alias, out ResourceOwner? tag))
                {
                    continue;
                }

                if (link.HardwareType == LoopbackType)
                {
                    // The loopback alias is the namespace's own tag; only a named namespace can be removed.
                    if (name is not null)
                    {
                        survey.Add(new Leftover(LeftoverKind.NetworkNamespace, name, name, tag, default, string.Empty) { NetworkNamespaceId = ns.Id });
                    }

                    continue;
                }

                survey.Add(new Leftover(LeftoverKind.Link, link.Name, name, tag, default, string.Empty)
                {
                    NetworkNamespaceId = ns.Id,
                    LinkIndex = link.Index,
                    ScannedNamespace = scanned,
                });
            }
        }
        catch (Exception e) when (e is NetlinkException or LinuxSyscallException)
        {
            survey.Warnings.Add($"{where}: links not scanned: {e.Message}");
        }

        if (!scope.NftTables)
        {
            return;
        }

        try
        {
            using var nft = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
            foreach (NftTable table in nft.ListTables())
            {
                if (survey.IsOurs(table.Comment, out ResourceOwner? tag))
                {
                    survey.Add(new Leftover(LeftoverKind.NftTable, table.Name, name, tag, default, string.Empty)
                    {
                        NetworkNamespaceId = ns.Id,
                        TableFamily = table.Family,
                        ScannedNamespace = scanned,
                    });
                }
            }
        }
        catch (Exception e) when (e is NetlinkException or LinuxSyscallException)
        {
            survey.Warnings.Add($"{where}: nf_tables tables not scanned: {e.Message}");
        }
    }

    private static void ScanCgroups(Survey survey, Cgroup parent)
    {
        IReadOnlyList<string> children;
        try
        {
            children = parent.ListChildren();
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            survey.Warnings.Add($"cgroup {parent.Path}: not scanned: {e.Message}");
            return;
        }

        foreach (string childName in children)
        {
            if (!CgroupName.IsValid(childName))
            {
                continue;
            }

            Cgroup child;
            try
            {
                child = parent.OpenChild(childName);
            }
            catch (CgroupException e) when (e.Errno == Errno.ENOENT)
            {
                continue; // removed meanwhile
            }
            catch (CgroupException e)
            {
                survey.Warnings.Add($"cgroup {parent.Path}/{childName}: not scanned: {e.Message}");
                continue;
            }

            using (child)
            {
                try
                {
                    ResourceOwner? tag = child.ReadOwner();
                    if (tag is not null && survey.IsOurs(tag.Tag, out tag))
                    {
                        survey.Add(new Leftover(LeftoverKind.Cgroup, child.Path, null, tag, default, string.Empty) { CgroupHierarchy = child.Hierarchy });
                    }
                }
                catch (CgroupException e)
                {
                    survey.Warnings.Add($"cgroup {child.Path}: tag not read: {e.Message}");
                }

                ScanCgroups(survey, child);
            }
        }
    }

    /// <summary><c>ARPHRD_LOOPBACK</c>.</summary>
    private const ushort LoopbackType = 772;

    /// <summary>The results of one <see cref="Find"/>, with the verdict on each owner process computed once.</summary>
    private sealed class Survey(string owner, ulong pidNamespace)
    {
        private readonly Dictionary<ResourceOwner, (OwnerState State, string Reason)> _verdicts = [];

        public List<Leftover> Orphans { get; } = [];

        public List<Leftover> Kept { get; } = [];

        public List<string> Warnings { get; } = [];

        /// <summary>True when <paramref name="text"/> is a tag naming this survey's owner.</summary>
        public bool IsOurs(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceOwner? tag) =>
            ResourceOwner.TryParse(text, out tag) && string.Equals(tag.Name, owner, StringComparison.Ordinal);

        public void Add(Leftover found)
        {
            if (!_verdicts.TryGetValue(found.Owner, out (OwnerState State, string Reason) verdict))
            {
                OwnerState state = ProcessSnapshot.Judge(found.Owner, pidNamespace, ProcessSnapshot.Read(found.Owner.ProcessId), out string reason);
                verdict = (state, reason);
                _verdicts[found.Owner] = verdict;
            }

            Leftover judged = found with { State = verdict.State, Reason = verdict.Reason };
            (verdict.State == OwnerState.Dead ? Orphans : Kept).Add(judged);
        }
    }
}

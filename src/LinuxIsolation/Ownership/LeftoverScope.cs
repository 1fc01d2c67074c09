using System.Collections.Generic;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;

namespace LinuxIsolation.Ownership;

/// <summary>
/// Where <see cref="Leftovers.Find"/> looks. By default: every named network namespace (<c>/run/netns</c>: the
/// namespace's own tag, its links, its nf_tables tables) and the caller's current network namespace (links and
/// tables). Cgroups only below the subtrees listed in <see cref="CgroupSubtrees"/>: never the whole hierarchy
/// unless the caller passes its root.
/// </summary>
public sealed class LeftoverScope
{
    /// <summary>Scan the namespaces in <c>/run/netns</c> (default true).</summary>
    public bool NamedNetworkNamespaces { get; init; } = true;

    /// <summary>Scan the links and tables of the calling thread's network namespace (default true).</summary>
    public bool CurrentNetworkNamespace { get; init; } = true;

    /// <summary>More network namespaces whose links and tables to scan; the caller keeps them open until removal is done.</summary>
    public IReadOnlyList<NetworkNamespace> NetworkNamespaces { get; init; } = [];

    /// <summary>Scan nf_tables tables (default true); turn off where nf_tables is not wanted or not present.</summary>
    public bool NftTables { get; init; } = true;

    /// <summary>Cgroups whose descendants to scan (the cgroups themselves are not candidates); the caller keeps them open.</summary>
    public IReadOnlyList<Cgroup> CgroupSubtrees { get; init; } = [];
}

using System.Globalization;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Ownership;

/// <summary>
/// A tagged object found by <see cref="Leftovers.Find"/>: what it is, where, whose, and why it is (or is not)
/// considered orphaned.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Name">The namespace name, the link name, the table name, or the cgroup's absolute path.</param>
/// <param name="NetworkNamespace">For links and tables: the name of the named namespace they are in, or null for another scanned namespace (see <see cref="NetworkNamespaceId"/>). For namespaces: their own name.</param>
/// <param name="Owner">The owner its tag names.</param>
/// <param name="State">Whether that owner still runs.</param>
/// <param name="Reason">Why, in words (e.g. "process 4242 has exited (no /proc/4242)").</param>
public sealed record Leftover(LeftoverKind Kind, string Name, string? NetworkNamespace, ResourceOwner Owner, OwnerState State, string Reason)
{
    /// <summary>The network namespace the link or table is in, or the namespace itself; null for cgroups.</summary>
    public NamespaceId? NetworkNamespaceId { get; init; }

    /// <summary>The link's interface index, for links.</summary>
    public int? LinkIndex { get; init; }

    /// <summary>The table's family, for nf_tables tables.</summary>
    public NftFamily? TableFamily { get; init; }

    /// <summary>The caller's namespace object the link or table was found in, when it is not a named one.</summary>
    internal Namespaces.NetworkNamespace? ScannedNamespace { get; init; }

    /// <summary>The hierarchy the cgroup was found in, for cgroups.</summary>
    internal Cgroups.CgroupHierarchy? CgroupHierarchy { get; init; }

    /// <summary>True when the object is removed with its named namespace (a link or table inside one that is itself a leftover).</summary>
    internal bool InsideNamedNamespace => NetworkNamespace is not null && Kind is LeftoverKind.Link or LeftoverKind.NftTable;

    /// <summary>One line: <c>link veth1 in netns c1 of myorch (pid 4242): process 4242 has exited</c>.</summary>
    public override string ToString()
    {
        string what = Kind switch
        {
            LeftoverKind.NetworkNamespace => $"netns {Name}",
            LeftoverKind.Link => $"link {Name}",
            LeftoverKind.NftTable => TableFamily is NftFamily f ? $"table {new NftTable(f, Name)}" : $"table {Name}",
            _ => $"cgroup {Name}",
        };
        string where = Kind is LeftoverKind.Link or LeftoverKind.NftTable
            ? NetworkNamespace is not null ? $" in netns {NetworkNamespace}" : $" in net:[{NetworkNamespaceId?.Inode}]"
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{what}{where} of {Owner.Name} (pid {Owner.ProcessId}): {Reason}");
    }
}

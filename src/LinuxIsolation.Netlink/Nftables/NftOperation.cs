using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>One operation (one netlink message) of an <see cref="NftTransaction"/>.</summary>
public sealed class NftOperation
{
    internal NftOperation(NftOperationKind kind, NftFamily family, string table)
    {
        Kind = kind;
        Family = family;
        Table = table;
    }

    /// <summary>What the operation does.</summary>
    public NftOperationKind Kind { get; }

    /// <summary>The table's family.</summary>
    public NftFamily Family { get; }

    /// <summary>The table's name.</summary>
    public string Table { get; }

    /// <summary>The chain, for chain and rule operations; null otherwise.</summary>
    public NftChain? Chain { get; internal init; }

    /// <summary>The rule, for rule additions, insertions and replacements; null otherwise.</summary>
    public NftRule? Rule { get; internal init; }

    /// <summary>The set, for set operations; null otherwise.</summary>
    public NftSet? Set { get; internal init; }

    internal string? ChainName { get; init; }

    internal string? SetName { get; init; }

    internal uint? SetId { get; init; }

    internal ulong? Handle { get; init; }

    internal uint TableFlags { get; init; }

    internal byte[]? TableUserData { get; init; }

    internal IReadOnlyList<NftSetElement>? Elements { get; init; }

    /// <summary>The operation as nft would write it, e.g. <c>add rule inet lxi postrouting [meta, cmp, masq]</c>.</summary>
    public override string ToString()
    {
        string family = NftWire.FamilyName(Family);
        return Kind switch
        {
            NftOperationKind.AddTable => $"add table {family} {Table}",
            NftOperationKind.CreateTable => $"create table {family} {Table}",
            NftOperationKind.DeleteTable => $"delete table {family} {Table}",
            NftOperationKind.AddChain => $"add chain {Chain}",
            NftOperationKind.DeleteChain => $"delete chain {family} {Table} {ChainName}",
            NftOperationKind.AddRule => $"add rule {Rule}{(Handle is ulong h ? $" after handle {h}" : string.Empty)}",
            NftOperationKind.InsertRule => $"insert rule {Rule}{(Handle is ulong h2 ? $" before handle {h2}" : string.Empty)}",
            NftOperationKind.ReplaceRule => $"replace rule {Rule} (handle {Handle})",
            NftOperationKind.DeleteRule => $"delete rule {family} {Table} {ChainName} handle {Handle}",
            NftOperationKind.AddSet => $"add set {Set}",
            NftOperationKind.DeleteSet => $"delete set {family} {Table} {SetName}",
            NftOperationKind.AddElements => $"add element {family} {Table} {SetName} ({Elements?.Count} elements)",
            NftOperationKind.DeleteElements => $"delete element {family} {Table} {SetName} ({Elements?.Count} elements)",
            _ => Kind.ToString(),
        };
    }
}

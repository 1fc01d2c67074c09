using System;
using System.Collections.Generic;
using System.Linq;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>A rule: a list of expressions in a chain (<c>nft add rule FAMILY TABLE CHAIN ...</c>).</summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table's name.</param>
/// <param name="Chain">The chain's name.</param>
/// <param name="Expressions">The expressions, in order (see <see cref="NftRuleBuilder"/>).</param>
/// <param name="Handle">The kernel's handle, when listed or returned by a commit.</param>
public sealed record NftRule(NftFamily Family, string Table, string Chain, IReadOnlyList<NftExpression> Expressions, ulong? Handle = null)
{
    /// <summary>Rule comments and other user data (<c>NFTA_RULE_USERDATA</c>, nft's TLV format); null for none.</summary>
    public byte[]? UserData { get; init; }

    /// <summary>The rule's place and its expression names, for messages: <c>inet lxi postrouting [meta, cmp, payload, cmp, masq]</c>.</summary>
    public override string ToString() =>
        $"{NftWire.FamilyName(Family)} {Table} {Chain}{(Handle is ulong h ? $" handle {h}" : string.Empty)} [{string.Join(", ", Expressions.Select(e => e.Name))}]";

    /// <summary>Compares the place, handle and expressions (element by element).</summary>
    public bool Equals(NftRule? other) =>
        other is not null && Family == other.Family && Table == other.Table && Chain == other.Chain && Handle == other.Handle &&
        Expressions.SequenceEqual(other.Expressions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Family, Table, Chain, Handle, Expressions.Count);

    internal void Validate(string paramName)
    {
        NftWire.ValidateFamily(Family, paramName);
        NftNames.ValidateTable(Table, paramName);
        NftNames.ValidateChain(Chain, paramName);
        ArgumentNullException.ThrowIfNull(Expressions, paramName);
        foreach (NftExpression e in Expressions)
        {
            if (e is null)
            {
                throw new ArgumentException($"Rule {this}: an expression is null.", paramName);
            }

            e.Validate();
        }
    }

    internal static NftRule Parse(NetlinkMessage message)
    {
        var header = message.ReadHeader<Netlink.Native.NfGenMsg>();
        string table = string.Empty, chain = string.Empty;
        ulong? handle = null;
        byte[]? userData = null;
        List<NftExpression>? expressions = null;
        foreach (NetlinkAttribute a in message.GetAttributes(NftWire.FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case NFTA_RULE_TABLE: table = a.GetString(); break;
                case NFTA_RULE_CHAIN: chain = a.GetString(); break;
                case NFTA_RULE_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_RULE_USERDATA: userData = a.Value.ToArray(); break;
                case NFTA_RULE_EXPRESSIONS: expressions = NftExpressionCodec.ReadList(a); break;
            }
        }

        return new NftRule((NftFamily)header.nfgen_family, table, chain, expressions ?? [], handle) { UserData = userData };
    }
}

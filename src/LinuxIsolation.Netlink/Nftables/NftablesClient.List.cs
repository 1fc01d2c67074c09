using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesMessages;

namespace LinuxIsolation.Netlink.Nftables;

public sealed partial class NftablesClient
{
    private const int SmallRequest = 1024;

    /// <summary>Lists the tables of one family, or of all (<see cref="NftFamily.Unspecified"/>). Equivalent to: <c>nft list tables [FAMILY]</c>.</summary>
    /// <returns>The tables; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last of the repeated dumps was still interrupted by a concurrent change.</returns>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<NftTable> ListTables(NftFamily family = NftFamily.Unspecified)
    {
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        writer.EndMessage(NftWire.BeginMessage(ref writer, NFT_MSG_GETTABLE, NetlinkMessageFlags.Dump, family));
        return Dump(writer.WrittenSpan, "NFT_MSG_GETTABLE dump", static m => NftTable.Parse(m));
    }

    /// <summary>Asks the kernel for one table; null when it does not exist. Equivalent to: <c>nft list table FAMILY NAME</c> (without its contents).</summary>
    /// <exception cref="NetlinkException">The kernel refused the request for another reason than ENOENT.</exception>
    public NftTable? GetTable(NftFamily family, string name)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(name, nameof(name));
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = NftWire.BeginMessage(ref writer, NFT_MSG_GETTABLE, NetlinkMessageFlags.None, family);
        writer.WriteString(NFTA_TABLE_NAME, name);
        writer.EndMessage(m);
        NftTable? result = null;
        try
        {
            lock (_gate)
            {
                foreach (NetlinkMessage reply in Socket.Exchange(writer.WrittenSpan, $"NFT_MSG_GETTABLE {NftWire.FamilyName(family)} {name}", NftWire.FamilyHeaderSize))
                {
                    result ??= NftTable.Parse(reply);
                }
            }
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
        {
            return null;
        }

        return result;
    }

    /// <summary>Lists chains, of one table or of every table of the family. Equivalent to: <c>nft list chains [FAMILY]</c>.</summary>
    /// <returns>The chains; <see cref="NetlinkDumpResult{T}.Interrupted"/> as for <see cref="ListTables"/>.</returns>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<NftChain> ListChains(NftFamily family = NftFamily.Unspecified, string? table = null)
    {
        if (table is not null)
        {
            NftNames.ValidateTable(table, nameof(table));
        }

        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        writer.EndMessage(NftWire.BeginMessage(ref writer, NFT_MSG_GETCHAIN, NetlinkMessageFlags.Dump, family));
        NetlinkDumpResult<NftChain> chains = Dump(writer.WrittenSpan, "NFT_MSG_GETCHAIN dump", static m => NftChain.Parse(m));
        return table is null ? chains : chains.Where(c => c.Table == table);
    }

    /// <summary>
    /// Lists the rules of a table, or of one chain, with their handles and decoded expressions.
    /// Equivalent to: <c>nft -a list table FAMILY TABLE</c> / <c>nft -a list chain FAMILY TABLE CHAIN</c>.
    /// </summary>
    /// <returns>The rules; <see cref="NetlinkDumpResult{T}.Interrupted"/> as for <see cref="ListTables"/>.</returns>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENOENT for a missing table or chain).</exception>
    public NetlinkDumpResult<NftRule> ListRules(NftFamily family, string table, string? chain = null)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        if (chain is not null)
        {
            NftNames.ValidateChain(chain, nameof(chain));
        }

        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = NftWire.BeginMessage(ref writer, NFT_MSG_GETRULE, NetlinkMessageFlags.Dump, family);
        writer.WriteString(NFTA_RULE_TABLE, table);
        if (chain is not null)
        {
            writer.WriteString(NFTA_RULE_CHAIN, chain);
        }

        writer.EndMessage(m);
        return Dump(writer.WrittenSpan, $"NFT_MSG_GETRULE dump {NftWire.FamilyName(family)} {table}", static m => NftRule.Parse(m));
    }

    /// <summary>Lists the named sets and maps of a table (anonymous sets excluded). Equivalent to: <c>nft list sets FAMILY</c> for one table.</summary>
    /// <returns>The sets; <see cref="NetlinkDumpResult{T}.Interrupted"/> as for <see cref="ListTables"/>.</returns>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<NftSet> ListSets(NftFamily family, string table)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = NftWire.BeginMessage(ref writer, NFT_MSG_GETSET, NetlinkMessageFlags.Dump, family);
        writer.WriteString(NFTA_SET_TABLE, table);
        writer.EndMessage(m);
        NetlinkDumpResult<NftSet> sets = Dump(writer.WrittenSpan, $"NFT_MSG_GETSET dump {NftWire.FamilyName(family)} {table}", static m => NftSet.Parse(m));
        return sets.Where(s => s.Table == table && (s.Flags & NftSetFlags.Anonymous) == 0);
    }

    /// <summary>Lists the elements of a set or map. Equivalent to: <c>nft list set FAMILY TABLE SET</c>.</summary>
    /// <returns>The elements; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the kernel flagged the dump as interrupted (it is not repeated: a set's elements come in several messages each).</returns>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENOENT for a missing set).</exception>
    public NetlinkDumpResult<NftSetElement> ListElements(NftFamily family, string table, string set)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        NftNames.ValidateSet(set, nameof(set));
        Span<byte> buffer = stackalloc byte[SmallRequest];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = NftWire.BeginMessage(ref writer, NFT_MSG_GETSETELEM, NetlinkMessageFlags.Dump, family);
        writer.WriteString(NFTA_SET_ELEM_LIST_TABLE, table);
        writer.WriteString(NFTA_SET_ELEM_LIST_SET, set);
        writer.EndMessage(m);
        var elements = new List<NftSetElement>();
        bool interrupted;
        lock (_gate)
        {
            using NetlinkReplyReader replies = Socket.Exchange(writer.WrittenSpan, $"NFT_MSG_GETSETELEM dump {NftWire.FamilyName(family)} {table} {set}", NftWire.FamilyHeaderSize);
            while (replies.MoveNext())
            {
                NftSetElement.ParseList(replies.Current, elements);
            }

            interrupted = replies.Interrupted;
        }

        return new NetlinkDumpResult<NftSetElement>(elements, interrupted, 1);
    }

    private delegate T MessageParser<T>(NetlinkMessage message);

    private NetlinkDumpResult<T> Dump<T>(Span<byte> request, string operation, MessageParser<T> parse)
    {
        lock (_gate)
        {
            return Socket.DumpAll(request, (NetlinkMessage message, [MaybeNullWhen(false)] out T value) =>
            {
                value = parse(message);
                return true;
            }, maxRetries: 3, operation, NftWire.FamilyHeaderSize);
        }
    }
}

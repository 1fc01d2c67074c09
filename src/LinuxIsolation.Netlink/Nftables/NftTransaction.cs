using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Netlink.Nftables.Native;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesMessages;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// A list of nf_tables changes committed all-or-nothing by <see cref="NftablesClient.Commit(NftTransaction)"/>: one batch
/// (<c>NFNL_MSG_BATCH_BEGIN</c>, one message per operation, <c>NFNL_MSG_BATCH_END</c>) in one <c>sendmsg</c>,
/// as <c>nft -f FILE</c> does. If the kernel refuses any operation, nothing changes.
/// </summary>
/// <remarks>
/// Arguments are checked when operations are added (<see cref="ArgumentException"/>), before anything is sent.
/// The operation methods return the transaction, to chain calls. Not thread-safe.
/// </remarks>
public sealed class NftTransaction
{
    private readonly List<NftOperation> _operations = [];
    private uint _nextSetId = 1;

    /// <summary>
    /// The generation id (<see cref="NftablesClient.GetGeneration"/>) the batch is meant for, sent as
    /// <c>NFNL_BATCH_GENID</c>: if the ruleset changed since, the kernel refuses the whole batch with
    /// <c>ERESTART</c>. Null (the default) applies the batch to whatever the ruleset is (Linux 5.8+ checks it).
    /// </summary>
    public uint? ExpectedGeneration { get; set; }

    /// <summary>The operations, in order.</summary>
    public IReadOnlyList<NftOperation> Operations => _operations;

    /// <summary>Number of operations.</summary>
    public int Count => _operations.Count;

    /// <summary>Adds a table, or leaves an existing one as it is. Equivalent to: <c>nft add table FAMILY NAME</c>.</summary>
    public NftTransaction AddTable(NftFamily family, string name, uint flags = 0) => AddTableCore(NftOperationKind.AddTable, family, name, flags);

    /// <summary>Creates a table; the commit fails with EEXIST if it exists. Equivalent to: <c>nft create table FAMILY NAME</c>.</summary>
    public NftTransaction CreateTable(NftFamily family, string name, uint flags = 0) => AddTableCore(NftOperationKind.CreateTable, family, name, flags);

    /// <summary>
    /// Adds <paramref name="table"/> (family, name, flags and <see cref="NftTable.UserData"/>), or leaves an
    /// existing one as it is (its user data unchanged). Equivalent to: <c>nft add table FAMILY NAME { comment "TEXT"; }</c>.
    /// User data needs Linux 5.13.
    /// </summary>
    /// <exception cref="ArgumentException">The family or name is invalid, or the user data is over 256 bytes.</exception>
    public NftTransaction AddTable(NftTable table) => AddTableCore(NftOperationKind.AddTable, table);

    /// <summary>
    /// Creates <paramref name="table"/> (family, name, flags and <see cref="NftTable.UserData"/>); the commit fails
    /// with EEXIST if it exists. Equivalent to: <c>nft create table FAMILY NAME { comment "TEXT"; }</c>.
    /// User data needs Linux 5.13.
    /// </summary>
    /// <exception cref="ArgumentException">The family or name is invalid, or the user data is over 256 bytes.</exception>
    public NftTransaction CreateTable(NftTable table) => AddTableCore(NftOperationKind.CreateTable, table);

    /// <summary>Deletes a table with its chains, rules and sets; the commit fails with ENOENT if it does not exist. Equivalent to: <c>nft delete table FAMILY NAME</c>.</summary>
    public NftTransaction DeleteTable(NftFamily family, string name)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(name, nameof(name));
        _operations.Add(new NftOperation(NftOperationKind.DeleteTable, family, name));
        return this;
    }

    /// <summary>Adds a base or regular chain. Equivalent to: <c>nft add chain FAMILY TABLE NAME [{ type T hook H priority P; policy P; }]</c>.</summary>
    public NftTransaction AddChain(NftChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        chain.Validate(nameof(chain));
        _operations.Add(new NftOperation(NftOperationKind.AddChain, chain.Family, chain.Table) { Chain = chain, ChainName = chain.Name });
        return this;
    }

    /// <summary>Deletes an empty chain no rule jumps to. Equivalent to: <c>nft delete chain FAMILY TABLE NAME</c>.</summary>
    public NftTransaction DeleteChain(NftFamily family, string table, string name)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        NftNames.ValidateChain(name, nameof(name));
        _operations.Add(new NftOperation(NftOperationKind.DeleteChain, family, table) { ChainName = name });
        return this;
    }

    /// <summary>
    /// Appends a rule to its chain, or puts it after the rule with handle <paramref name="afterHandle"/>.
    /// Equivalent to: <c>nft add rule FAMILY TABLE CHAIN [position H] ...</c>.
    /// </summary>
    public NftTransaction AddRule(NftRule rule, ulong? afterHandle = null) => AddRuleCore(NftOperationKind.AddRule, rule, afterHandle);

    /// <summary>
    /// Puts a rule at the start of its chain, or before the rule with handle <paramref name="beforeHandle"/>.
    /// Equivalent to: <c>nft insert rule FAMILY TABLE CHAIN [position H] ...</c>.
    /// </summary>
    public NftTransaction InsertRule(NftRule rule, ulong? beforeHandle = null) => AddRuleCore(NftOperationKind.InsertRule, rule, beforeHandle);

    /// <summary>Replaces the rule with handle <paramref name="handle"/>. Equivalent to: <c>nft replace rule FAMILY TABLE CHAIN handle H ...</c>.</summary>
    public NftTransaction ReplaceRule(NftRule rule, ulong handle) => AddRuleCore(NftOperationKind.ReplaceRule, rule, handle);

    /// <summary>Deletes the rule with handle <paramref name="handle"/>. Equivalent to: <c>nft delete rule FAMILY TABLE CHAIN handle H</c>.</summary>
    public NftTransaction DeleteRule(NftFamily family, string table, string chain, ulong handle)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        NftNames.ValidateChain(chain, nameof(chain));
        _operations.Add(new NftOperation(NftOperationKind.DeleteRule, family, table) { ChainName = chain, Handle = handle });
        return this;
    }

    /// <summary>Adds a named set or map. Equivalent to: <c>nft add set FAMILY TABLE NAME { type T; [flags F;] }</c>.</summary>
    public NftTransaction AddSet(NftSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        set.Validate(nameof(set));
        _operations.Add(new NftOperation(NftOperationKind.AddSet, set.Family, set.Table) { Set = set, SetName = set.Name, SetId = _nextSetId++ });
        return this;
    }

    /// <summary>Deletes a set no rule refers to. Equivalent to: <c>nft delete set FAMILY TABLE NAME</c>.</summary>
    public NftTransaction DeleteSet(NftFamily family, string table, string name)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        NftNames.ValidateSet(name, nameof(name));
        _operations.Add(new NftOperation(NftOperationKind.DeleteSet, family, table) { SetName = name });
        return this;
    }

    /// <summary>Adds elements to a set or map. Equivalent to: <c>nft add element FAMILY TABLE SET { ... }</c>.</summary>
    public NftTransaction AddElements(NftFamily family, string table, string set, IEnumerable<NftSetElement> elements) =>
        ElementsCore(NftOperationKind.AddElements, family, table, set, elements);

    /// <summary>Removes elements from a set or map. Equivalent to: <c>nft delete element FAMILY TABLE SET { ... }</c>.</summary>
    public NftTransaction DeleteElements(NftFamily family, string table, string set, IEnumerable<NftSetElement> elements) =>
        ElementsCore(NftOperationKind.DeleteElements, family, table, set, elements);

    /// <summary>
    /// Writes the batch as it is sent: the batch-begin message, one message per operation, the batch-end message.
    /// </summary>
    /// <param name="buffer">Where to write.</param>
    /// <param name="acknowledge">Set <c>NLM_F_ACK</c> on every operation, so each is acknowledged (as <see cref="NftablesClient.Commit(NftTransaction)"/> does); nft -f does not.</param>
    /// <param name="echo">Set <c>NLM_F_ECHO</c> on additions, so the kernel returns the objects with their handles.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="NetlinkBufferTooSmallException">The buffer is too small.</exception>
    public int Encode(Span<byte> buffer, bool acknowledge = true, bool echo = true)
    {
        var writer = new NetlinkWriter(buffer);
        Write(ref writer, acknowledge, echo);
        return writer.Length;
    }

    /// <summary>Encodes into a new array large enough for the batch.</summary>
    internal byte[] Encode(bool acknowledge, bool echo)
    {
        for (int size = 4096 + (_operations.Count * 512); ; size *= 2)
        {
            byte[] buffer = GC.AllocateUninitializedArray<byte>(size);
            try
            {
                int length = Encode(buffer, acknowledge, echo);
                return buffer.AsSpan(0, length).ToArray();
            }
            catch (NetlinkBufferTooSmallException) when (size < 64 * 1024 * 1024)
            {
            }
        }
    }

    internal void Write(ref NetlinkWriter writer, bool acknowledge, bool echo)
    {
        NetlinkMessageToken begin = writer.BeginMessage(NFNL_MSG_BATCH_BEGIN, NetlinkMessageFlags.Request);
        writer.WriteHeader(new Netlink.Native.NfGenMsg { res_id = BigEndian(NFNL_SUBSYS_NFTABLES) });
        if (ExpectedGeneration is uint generation)
        {
            writer.WriteUInt32BigEndian(NFNL_BATCH_GENID, generation);
        }

        writer.EndMessage(begin);
        NetlinkMessageFlags ack = acknowledge ? NetlinkMessageFlags.Ack : NetlinkMessageFlags.None;
        NetlinkMessageFlags echoFlag = echo ? NetlinkMessageFlags.Echo : NetlinkMessageFlags.None;
        foreach (NftOperation op in _operations)
        {
            WriteOperation(ref writer, op, ack, echoFlag);
        }

        NetlinkMessageToken end = writer.BeginMessage(NFNL_MSG_BATCH_END, NetlinkMessageFlags.Request);
        writer.WriteHeader(new Netlink.Native.NfGenMsg { res_id = BigEndian(NFNL_SUBSYS_NFTABLES) });
        writer.EndMessage(end);
    }

    private static ushort BigEndian(ushort value) => BitConverter.IsLittleEndian ? (ushort)((value >> 8) | (value << 8)) : value;

    private static void WriteOperation(ref NetlinkWriter writer, NftOperation op, NetlinkMessageFlags ack, NetlinkMessageFlags echo)
    {
        const NetlinkMessageFlags Create = NetlinkMessageFlags.Create;
        NetlinkMessageToken message;
        switch (op.Kind)
        {
            case NftOperationKind.AddTable:
            case NftOperationKind.CreateTable:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_NEWTABLE,
                    ack | echo | (op.Kind == NftOperationKind.CreateTable ? Create | NetlinkMessageFlags.Exclusive : NetlinkMessageFlags.None), op.Family);
                writer.WriteString(NFTA_TABLE_NAME, op.Table);
                writer.WriteUInt32BigEndian(NFTA_TABLE_FLAGS, op.TableFlags);
                if (op.TableUserData is byte[] tableUserData)
                {
                    writer.WriteBytes(NFTA_TABLE_USERDATA, tableUserData);
                }

                break;
            case NftOperationKind.DeleteTable:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_DELTABLE, ack, op.Family);
                writer.WriteString(NFTA_TABLE_NAME, op.Table);
                break;
            case NftOperationKind.AddChain:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_NEWCHAIN, ack | echo | Create, op.Family);
                WriteChain(ref writer, op.Chain!);
                break;
            case NftOperationKind.DeleteChain:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_DELCHAIN, ack, op.Family);
                writer.WriteString(NFTA_CHAIN_TABLE, op.Table);
                writer.WriteString(NFTA_CHAIN_NAME, op.ChainName!);
                break;
            case NftOperationKind.AddRule:
            case NftOperationKind.InsertRule:
            case NftOperationKind.ReplaceRule:
                NetlinkMessageFlags ruleFlags = op.Kind switch
                {
                    NftOperationKind.AddRule => Create | NetlinkMessageFlags.Append,
                    NftOperationKind.InsertRule => Create,
                    _ => NetlinkMessageFlags.Replace,
                };
                message = NftWire.BeginMessage(ref writer, NFT_MSG_NEWRULE, ack | echo | ruleFlags, op.Family);
                writer.WriteString(NFTA_RULE_TABLE, op.Table);
                writer.WriteString(NFTA_RULE_CHAIN, op.Rule!.Chain);
                if (op.Kind == NftOperationKind.ReplaceRule)
                {
                    writer.WriteUInt64BigEndian(NFTA_RULE_HANDLE, op.Handle!.Value);
                }
                else if (op.Handle is ulong position)
                {
                    writer.WriteUInt64BigEndian(NFTA_RULE_POSITION, position);
                }

                NftExpressionCodec.WriteList(ref writer, NFTA_RULE_EXPRESSIONS, op.Rule.Expressions);
                if (op.Rule.UserData is byte[] userData)
                {
                    writer.WriteBytes(NFTA_RULE_USERDATA, userData);
                }

                break;
            case NftOperationKind.DeleteRule:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_DELRULE, ack, op.Family);
                writer.WriteString(NFTA_RULE_TABLE, op.Table);
                writer.WriteString(NFTA_RULE_CHAIN, op.ChainName!);
                writer.WriteUInt64BigEndian(NFTA_RULE_HANDLE, op.Handle!.Value);
                break;
            case NftOperationKind.AddSet:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_NEWSET, ack | echo | Create, op.Family);
                WriteSet(ref writer, op.Set!, op.SetId!.Value);
                break;
            case NftOperationKind.DeleteSet:
                message = NftWire.BeginMessage(ref writer, NFT_MSG_DELSET, ack, op.Family);
                writer.WriteString(NFTA_SET_TABLE, op.Table);
                writer.WriteString(NFTA_SET_NAME, op.SetName!);
                break;
            case NftOperationKind.AddElements:
            case NftOperationKind.DeleteElements:
                bool add = op.Kind == NftOperationKind.AddElements;
                message = NftWire.BeginMessage(ref writer, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, ack | (add ? Create : NetlinkMessageFlags.None), op.Family);
                writer.WriteString(NFTA_SET_ELEM_LIST_TABLE, op.Table);
                writer.WriteString(NFTA_SET_ELEM_LIST_SET, op.SetName!);
                if (op.SetId is uint setId)
                {
                    writer.WriteUInt32BigEndian(4, setId); // NFTA_SET_ELEM_LIST_SET_ID
                }

                NetlinkNestToken list = writer.BeginNested(NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED);
                int number = 0;
                foreach (NftSetElement element in op.Elements!)
                {
                    element.Write(ref writer, ++number);
                }

                writer.EndNested(list);
                break;
            default:
                throw new InvalidOperationException($"Unknown operation {op.Kind}.");
        }

        writer.EndMessage(message);
    }

    private static void WriteChain(ref NetlinkWriter writer, NftChain chain)
    {
        writer.WriteString(NFTA_CHAIN_TABLE, chain.Table);
        writer.WriteString(NFTA_CHAIN_NAME, chain.Name);
        if (chain.Type is NftChainType type)
        {
            writer.WriteString(NFTA_CHAIN_TYPE, NftChain.TypeName(type));
        }

        if (chain.Policy is NftVerdictCode policy)
        {
            writer.WriteUInt32BigEndian(NFTA_CHAIN_POLICY, (uint)(int)policy);
        }

        if (chain.Hook is NftChainHook hook)
        {
            NetlinkNestToken nest = writer.BeginNested(NFTA_CHAIN_HOOK | NLA_F_NESTED);
            writer.WriteUInt32BigEndian(NFTA_HOOK_HOOKNUM, (uint)hook);
            writer.WriteUInt32BigEndian(NFTA_HOOK_PRIORITY, (uint)chain.Priority!.Value);
            writer.EndNested(nest);
        }
    }

    private static void WriteSet(ref NetlinkWriter writer, NftSet set, uint id)
    {
        writer.WriteString(NFTA_SET_TABLE, set.Table);
        writer.WriteString(NFTA_SET_NAME, set.Name);
        writer.WriteUInt32BigEndian(NFTA_SET_FLAGS, (uint)set.Flags);
        writer.WriteUInt32BigEndian(NFTA_SET_KEY_TYPE, set.KeyType);
        writer.WriteUInt32BigEndian(NFTA_SET_KEY_LEN, set.KeyLength);
        if (set.DataType is uint dataType)
        {
            writer.WriteUInt32BigEndian(NFTA_SET_DATA_TYPE, dataType);
            writer.WriteUInt32BigEndian(NFTA_SET_DATA_LEN, set.DataLength!.Value);
        }

        writer.WriteUInt32BigEndian(NFTA_SET_ID, id);
        if (set.UserData is byte[] userData)
        {
            writer.WriteBytes(13, userData); // NFTA_SET_USERDATA
        }
    }

    private NftTransaction AddTableCore(NftOperationKind kind, NftFamily family, string name, uint flags)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(name, nameof(name));
        _operations.Add(new NftOperation(kind, family, name) { TableFlags = flags });
        return this;
    }

    private NftTransaction AddTableCore(NftOperationKind kind, NftTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        NftWire.ValidateFamily(table.Family, nameof(table));
        NftNames.ValidateTable(table.Name, nameof(table));
        if (table.UserData is { Length: > NftTableComment.MaxUserDataLength } tooLong)
        {
            throw new ArgumentException($"A table's user data is at most {NftTableComment.MaxUserDataLength} bytes (NFT_USERDATA_MAXLEN), not {tooLong.Length}.", nameof(table));
        }

        _operations.Add(new NftOperation(kind, table.Family, table.Name) { TableFlags = table.Flags, TableUserData = table.UserData?.ToArray() });
        return this;
    }

    private NftTransaction AddRuleCore(NftOperationKind kind, NftRule rule, ulong? handle)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate(nameof(rule));
        _operations.Add(new NftOperation(kind, rule.Family, rule.Table) { Rule = rule, ChainName = rule.Chain, Handle = handle });
        return this;
    }

    private NftTransaction ElementsCore(NftOperationKind kind, NftFamily family, string table, string set, IEnumerable<NftSetElement> elements)
    {
        NftWire.ValidateFamily(family, nameof(family));
        NftNames.ValidateTable(table, nameof(table));
        NftNames.ValidateSet(set, nameof(set));
        ArgumentNullException.ThrowIfNull(elements);
        NftOperation? created = _operations.LastOrDefault(o => o.Kind == NftOperationKind.AddSet && o.Family == family && o.Table == table && o.SetName == set);
        List<NftSetElement> list = [.. elements];
        if (list.Count == 0)
        {
            throw new ArgumentException($"Set {table} {set}: no elements given.", nameof(elements));
        }

        foreach (NftSetElement element in list)
        {
            ArgumentNullException.ThrowIfNull(element, nameof(elements));
            element.Validate(created?.Set, nameof(elements));
        }

        _operations.Add(new NftOperation(kind, family, table) { SetName = set, SetId = created?.SetId, Elements = list });
        return this;
    }
}

using System;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// A chain. A base chain has a <see cref="Type"/>, <see cref="Hook"/> and <see cref="Priority"/> and is attached to
/// the hook (<c>nft add chain inet t c { type nat hook postrouting priority srcnat; policy accept; }</c>); a
/// regular chain has none and is reached by jump or goto (<c>nft add chain inet t c</c>).
/// </summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table's name.</param>
/// <param name="Name">The chain's name.</param>
/// <param name="Type">Base chains: filter, nat or route.</param>
/// <param name="Hook">Base chains: the hook.</param>
/// <param name="Priority">Base chains: the priority (filter 0, srcnat 100, dstnat -100).</param>
/// <param name="Policy">Base chains: the verdict for packets no rule decided (accept or drop); null leaves the kernel's default (accept).</param>
/// <param name="Handle">The kernel's handle, when listed.</param>
/// <param name="Use">Number of rules and references, when listed.</param>
public sealed record NftChain(NftFamily Family, string Table, string Name, NftChainType? Type = null, NftChainHook? Hook = null, int? Priority = null,
    NftVerdictCode? Policy = null, ulong? Handle = null, uint? Use = null)
{
    /// <summary>nft's <c>priority filter</c>.</summary>
    public const int PriorityFilter = 0;

    /// <summary>nft's <c>priority srcnat</c> (postrouting NAT).</summary>
    public const int PrioritySourceNat = 100;

    /// <summary>nft's <c>priority dstnat</c> (prerouting NAT).</summary>
    public const int PriorityDestinationNat = -100;

    /// <summary>True for a base chain (attached to a hook).</summary>
    public bool IsBaseChain => Hook is not null;

    /// <summary>A base chain: <c>type TYPE hook HOOK priority PRIORITY; policy POLICY;</c>.</summary>
    public static NftChain Base(NftFamily family, string table, string name, NftChainType type, NftChainHook hook, int priority, NftVerdictCode policy = NftVerdictCode.Accept) =>
        new(family, table, name, type, hook, priority, policy);

    /// <summary>A regular chain, reached by jump or goto.</summary>
    public static NftChain Regular(NftFamily family, string table, string name) => new(family, table, name);

    /// <summary>The chain as nft names it: <c>inet lxi postrouting</c>.</summary>
    public override string ToString() => $"{NftWire.FamilyName(Family)} {Table} {Name}";

    internal void Validate(string paramName)
    {
        NftWire.ValidateFamily(Family, paramName);
        NftNames.ValidateTable(Table, paramName);
        NftNames.ValidateChain(Name, paramName);
        if ((Type is null) != (Hook is null) || (Hook is null) != (Priority is null))
        {
            throw new ArgumentException($"Chain {this}: a base chain needs type, hook and priority together; a regular chain has none of them.", paramName);
        }

        if (Policy is not null and not (NftVerdictCode.Accept or NftVerdictCode.Drop))
        {
            throw new ArgumentException($"Chain {this}: the policy is accept or drop, not {Policy}.", paramName);
        }

        if (Policy is not null && Hook is null)
        {
            throw new ArgumentException($"Chain {this}: only base chains have a policy.", paramName);
        }
    }

    internal static string TypeName(NftChainType type) => type switch
    {
        NftChainType.Filter => "filter",
        NftChainType.Nat => "nat",
        NftChainType.Route => "route",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown chain type."),
    };

    internal static NftChain Parse(NetlinkMessage message)
    {
        var header = message.ReadHeader<Netlink.Native.NfGenMsg>();
        string table = string.Empty, name = string.Empty;
        NftChainType? type = null;
        NftChainHook? hook = null;
        int? priority = null;
        NftVerdictCode? policy = null;
        ulong? handle = null;
        uint? use = null;
        foreach (NetlinkAttribute a in message.GetAttributes(NftWire.FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case NFTA_CHAIN_TABLE: table = a.GetString(); break;
                case NFTA_CHAIN_NAME: name = a.GetString(); break;
                case NFTA_CHAIN_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_CHAIN_USE: use = a.GetUInt32BigEndian(); break;
                case NFTA_CHAIN_POLICY: policy = (NftVerdictCode)(int)a.GetUInt32BigEndian(); break;
                case NFTA_CHAIN_TYPE:
                    type = a.GetString() switch
                    {
                        "filter" => NftChainType.Filter,
                        "nat" => NftChainType.Nat,
                        "route" => NftChainType.Route,
                        _ => null,
                    };
                    break;
                case NFTA_CHAIN_HOOK:
                    foreach (NetlinkAttribute h in a.GetNested())
                    {
                        if (h.Type == NFTA_HOOK_HOOKNUM)
                        {
                            hook = (NftChainHook)h.GetUInt32BigEndian();
                        }
                        else if (h.Type == NFTA_HOOK_PRIORITY)
                        {
                            priority = (int)h.GetUInt32BigEndian();
                        }
                    }

                    break;
            }
        }

        return new NftChain((NftFamily)header.nfgen_family, table, name, type, hook, priority, policy, handle, use);
    }
}

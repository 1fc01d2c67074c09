using System;
using System.Collections.Generic;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Nftables.Native;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// nf_tables objects: <c>NftTable.Parse</c>, <c>NftChain.Parse</c>, <c>NftRule.Parse</c> (the expression list of
/// <c>NftExpressionCodec.ReadList</c>: payload, meta, cmp, bitwise, immediate/verdict, counter, ct, lookup, nat,
/// masq, redir and unknown expressions, data and verdict nests), <c>NftSet.Parse</c> and
/// <c>NftSetElement.ParseList</c>; every message goes to every parser (they read the same nfgenmsg header), and
/// every decoded object is printed and compared with itself.
/// </summary>
internal sealed class NftablesFamily : NetlinkDatagramFamily
{
    private readonly List<NftSetElement> _elements = new();
    private long _sink;

    public NftablesFamily(IReadOnlyList<byte[]> seeds, GuardPage guard)
        : base(seeds, guard)
    {
    }

    public override string Name => "nftables";

    public override string Decoders => "NftTable/NftChain/NftRule/NftSet.Parse, NftSetElement.ParseList, NftExpressionCodec.ReadList (payload, meta, cmp, bitwise, immediate, verdict, counter, ct, lookup, nat, masq, redir, unknown), NftWire.ReadData/verdicts";

    public override string DocumentedException => nameof(NetlinkDecodeException);

    protected override void Decode(byte[] input)
    {
        ReadOnlySpan<byte> datagram = Guard.Place(input);
        try
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                // Each message goes to its type's parser; a message of another type (a type swap made it) goes to all of them.
                int kind = message.Type >> 8 == NfTablesMessages.NFNL_SUBSYS_NFTABLES && (message.Type & 0xff) <= NfTablesMessages.NFT_MSG_DELSETELEM
                    ? (message.Type & 0xff) / 3
                    : -1;
                if (kind is 0 or -1)
                {
                    Table(message);
                }

                if (kind is 1 or -1)
                {
                    Chain(message);
                }

                if (kind is 2 or -1)
                {
                    Rule(message);
                }

                if (kind is 3 or -1)
                {
                    Set(message);
                }

                if (kind is 4 or -1)
                {
                    Elements(message);
                }
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Table(NetlinkMessage message)
    {
        try
        {
            _sink += NftTable.Parse(message).ToString().Length;
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Chain(NetlinkMessage message)
    {
        try
        {
            NftChain chain = NftChain.Parse(message);
            _sink += chain.ToString().Length + (chain.IsBaseChain ? 1 : 0) + chain.GetHashCode();
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Rule(NetlinkMessage message)
    {
        try
        {
            NftRule rule = NftRule.Parse(message);
            _sink += rule.ToString().Length + rule.GetHashCode() + (rule.Equals(rule with { }) ? 1 : 0) + (rule.UserData?.Length ?? 0);
            foreach (NftExpression expression in rule.Expressions)
            {
                _sink += expression.ToString()!.Length + expression.GetHashCode();
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Set(NetlinkMessage message)
    {
        try
        {
            _sink += NftSet.Parse(message).ToString().Length;
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Elements(NetlinkMessage message)
    {
        try
        {
            _elements.Clear();
            NftSetElement.ParseList(message, _elements);
            foreach (NftSetElement element in _elements)
            {
                _sink += element.ToString().Length + element.Key.ToString().Length + (int)element.Key.ToUInt64BigEndian();
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }
}

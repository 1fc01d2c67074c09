using System.Collections.Generic;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Writes and reads the <c>NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA }</c> list of a rule.</summary>
internal static class NftExpressionCodec
{
    public static void WriteList(ref NetlinkWriter writer, ushort type, IReadOnlyList<NftExpression> expressions)
    {
        NetlinkNestToken list = writer.BeginNested((ushort)(type | NLA_F_NESTED));
        // An indexed loop: foreach over the interface would allocate an enumerator per rule.
        for (int i = 0; i < expressions.Count; i++)
        {
            NftExpression expression = expressions[i];
            NetlinkNestToken element = writer.BeginNested(NFTA_LIST_ELEM | NLA_F_NESTED);
            writer.WriteString(NFTA_EXPR_NAME, expression.Name);
            NetlinkNestToken data = writer.BeginNested(NFTA_EXPR_DATA | NLA_F_NESTED);
            expression.WriteData(ref writer);
            writer.EndNested(data);
            writer.EndNested(element);
        }

        writer.EndNested(list);
    }

    public static List<NftExpression> ReadList(NetlinkAttribute list)
    {
        var result = new List<NftExpression>();
        foreach (NetlinkAttribute element in list.GetNested())
        {
            if (element.Type != NFTA_LIST_ELEM)
            {
                continue;
            }

            string? name = null;
            NetlinkAttribute data = default;
            bool hasData = false;
            foreach (NetlinkAttribute a in element.GetNested())
            {
                if (a.Type == NFTA_EXPR_NAME)
                {
                    name = a.GetString();
                }
                else if (a.Type == NFTA_EXPR_DATA)
                {
                    data = a;
                    hasData = true;
                }
            }

            if (string.IsNullOrEmpty(name))
            {
                ThrowHelper.ThrowDecode("An nf_tables expression has no NFTA_EXPR_NAME, or an empty one.");
            }

            NetlinkAttributeReader attributes = hasData ? data.GetNested() : default;
            result.Add(name switch
            {
                "payload" => NftPayload.Decode(attributes),
                "meta" => NftMeta.Decode(attributes),
                "cmp" => NftCmp.Decode(attributes),
                "bitwise" => NftBitwise.Decode(attributes),
                "immediate" => NftVerdictExpression.DecodeImmediate(attributes),
                "counter" => NftCounter.Decode(attributes),
                "ct" => NftCt.Decode(attributes),
                "fib" => NftFib.Decode(attributes),
                "lookup" => NftLookup.Decode(attributes),
                "nat" => NftNat.Decode(attributes),
                "masq" => NftMasquerade.Decode(attributes),
                "redir" => NftRedirect.Decode(attributes),
                _ => new NftUnknownExpression(name, hasData ? data.Value : default),
            });
        }

        return result;
    }
}

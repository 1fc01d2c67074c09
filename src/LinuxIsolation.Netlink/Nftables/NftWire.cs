using System;
using LinuxIsolation.Netlink.Nftables.Native;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Encodes and decodes the data and verdict nests shared by expressions, set elements and rules.</summary>
internal static class NftWire
{
    /// <summary>Size of <c>struct nfgenmsg</c>.</summary>
    public const int FamilyHeaderSize = 4;

    public static NetlinkMessageToken BeginMessage(ref NetlinkWriter writer, ushort nftMessage, NetlinkMessageFlags flags, NftFamily family)
    {
        NetlinkMessageToken token = writer.BeginMessage(NfTablesMessages.Type(nftMessage), flags | NetlinkMessageFlags.Request);
        writer.WriteHeader(new Netlink.Native.NfGenMsg { nfgen_family = (byte)family, version = NfTablesMessages.NFNETLINK_V0, res_id = 0 });
        return token;
    }

    /// <summary>Writes <c>TYPE { NFTA_DATA_VALUE bytes }</c>.</summary>
    public static void WriteData(ref NetlinkWriter writer, ushort type, NftData data)
    {
        NetlinkNestToken nest = writer.BeginNested((ushort)(type | NLA_F_NESTED));
        writer.WriteBytes(NFTA_DATA_VALUE, data.Span);
        writer.EndNested(nest);
    }

    /// <summary>Writes <c>TYPE { NFTA_DATA_VERDICT { CODE, [CHAIN] } }</c>.</summary>
    public static void WriteVerdict(ref NetlinkWriter writer, ushort type, NftVerdict verdict)
    {
        NetlinkNestToken outer = writer.BeginNested((ushort)(type | NLA_F_NESTED));
        NetlinkNestToken inner = writer.BeginNested(NFTA_DATA_VERDICT | NLA_F_NESTED);
        writer.WriteUInt32BigEndian(NFTA_VERDICT_CODE, (uint)(int)verdict.Code);
        if (verdict.Chain is not null)
        {
            writer.WriteString(NFTA_VERDICT_CHAIN, verdict.Chain);
        }

        writer.EndNested(inner);
        writer.EndNested(outer);
    }

    /// <summary>Reads a data nest: a value, or a verdict (then <paramref name="verdict"/> is set and the value is empty).</summary>
    public static NftData ReadData(NetlinkAttribute attribute, out NftVerdict? verdict)
    {
        verdict = null;
        NftData value = default;
        foreach (NetlinkAttribute a in attribute.GetNested())
        {
            if (a.Type == NFTA_DATA_VALUE)
            {
                if (a.Value.Length > NftData.MaxLength)
                {
                    ThrowHelper.ThrowDecode($"An nf_tables value of {a.Value.Length} bytes exceeds {NftData.MaxLength}.");
                }

                value = new NftData(a.Value);
            }
            else if (a.Type == NFTA_DATA_VERDICT)
            {
                verdict = ReadVerdict(a);
            }
        }

        return value;
    }

    private static NftVerdict ReadVerdict(NetlinkAttribute attribute)
    {
        NftVerdictCode code = NftVerdictCode.Continue;
        string? chain = null;
        foreach (NetlinkAttribute a in attribute.GetNested())
        {
            if (a.Type == NFTA_VERDICT_CODE)
            {
                code = (NftVerdictCode)(int)a.GetUInt32BigEndian();
            }
            else if (a.Type == NFTA_VERDICT_CHAIN)
            {
                chain = a.GetString();
            }
        }

        return new NftVerdict(code, chain);
    }

    public static string? Describe(NftFamily family) => family switch
    {
        NftFamily.Inet => "inet",
        NftFamily.IPv4 => "ip",
        NftFamily.IPv6 => "ip6",
        NftFamily.Arp => "arp",
        NftFamily.Bridge => "bridge",
        NftFamily.NetDev => "netdev",
        _ => null,
    };

    public static string FamilyName(NftFamily family) => Describe(family) ?? ((byte)family).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static void ValidateFamily(NftFamily family, string paramName)
    {
        if (Describe(family) is null)
        {
            throw new ArgumentException($"{family} is not an nf_tables table family (inet, ip, ip6, arp, bridge, netdev).", paramName);
        }
    }
}

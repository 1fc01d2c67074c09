using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Source NAT to the address of the outgoing interface (<c>masquerade</c>); postrouting nat chains only.</summary>
/// <param name="Flags"><c>NF_NAT_RANGE_*</c> flags (e.g. <c>random</c>, <c>persistent</c>); null to send none.</param>
/// <param name="ProtoMin">Register with the first port of a port range; null to keep ports.</param>
/// <param name="ProtoMax">Register with the last port of a port range; null for one port.</param>
public sealed record NftMasquerade(uint? Flags = null, NftRegister? ProtoMin = null, NftRegister? ProtoMax = null) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "masq";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        if (Flags is uint flags)
        {
            writer.WriteUInt32BigEndian(NFTA_MASQ_FLAGS, flags);
        }

        NftNat.WriteRegister(ref writer, NFTA_MASQ_REG_PROTO_MIN, ProtoMin);
        NftNat.WriteRegister(ref writer, NFTA_MASQ_REG_PROTO_MAX, ProtoMax);
    }

    internal static NftMasquerade Decode(NetlinkAttributeReader data)
    {
        uint? flags = null;
        NftRegister? pmin = null, pmax = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_MASQ_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_MASQ_REG_PROTO_MIN: pmin = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_MASQ_REG_PROTO_MAX: pmax = (NftRegister)a.GetUInt32BigEndian(); break;
            }
        }

        return new NftMasquerade(flags, pmin, pmax);
    }
}

using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Destination NAT to the local machine (<c>redirect [to :PORT]</c>); prerouting and output nat chains.</summary>
/// <param name="ProtoMin">Register with the (first) port; null to keep the port.</param>
/// <param name="ProtoMax">Register with the last port of a range; null for one port.</param>
/// <param name="Flags"><c>NF_NAT_RANGE_*</c> flags; null to send none. <see cref="NftRuleBuilder"/> sets <c>NF_NAT_RANGE_PROTO_SPECIFIED</c> (2) with a port, as nft does.</param>
public sealed record NftRedirect(NftRegister? ProtoMin = null, NftRegister? ProtoMax = null, uint? Flags = null) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "redir";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        NftNat.WriteRegister(ref writer, NFTA_REDIR_REG_PROTO_MIN, ProtoMin);
        NftNat.WriteRegister(ref writer, NFTA_REDIR_REG_PROTO_MAX, ProtoMax);
        if (Flags is uint flags)
        {
            writer.WriteUInt32BigEndian(NFTA_REDIR_FLAGS, flags);
        }
    }

    internal static NftRedirect Decode(NetlinkAttributeReader data)
    {
        uint? flags = null;
        NftRegister? pmin = null, pmax = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_REDIR_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_REDIR_REG_PROTO_MIN: pmin = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_REDIR_REG_PROTO_MAX: pmax = (NftRegister)a.GetUInt32BigEndian(); break;
            }
        }

        return new NftRedirect(pmin, pmax, flags);
    }
}

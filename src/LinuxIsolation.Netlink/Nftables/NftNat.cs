using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Source or destination NAT (<c>nat</c>): <c>snat to ADDR[:PORT]</c>, <c>dnat to ADDR[:PORT]</c>. The address and
/// port come from registers loaded by <see cref="NftImmediate"/> just before.
/// </summary>
/// <param name="Type">snat or dnat.</param>
/// <param name="Family">The address family of the addresses (<see cref="NftFamily.IPv4"/> or <see cref="NftFamily.IPv6"/>).</param>
/// <param name="AddressMin">Register with the (first) address; null to keep the address.</param>
/// <param name="AddressMax">Register with the last address of a range; null for one address.</param>
/// <param name="ProtoMin">Register with the (first) port; null to keep the port.</param>
/// <param name="ProtoMax">Register with the last port of a range; null for one port.</param>
/// <param name="Flags"><c>NF_NAT_RANGE_*</c> flags; null to send none. <see cref="NftRuleBuilder"/> sets <c>NF_NAT_RANGE_PROTO_SPECIFIED</c> (2) with a port, as nft does.</param>
public sealed record NftNat(NftNatType Type, NftFamily Family, NftRegister? AddressMin = NftRegister.R1, NftRegister? AddressMax = null,
    NftRegister? ProtoMin = null, NftRegister? ProtoMax = null, uint? Flags = null) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "nat";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_NAT_TYPE, (uint)Type);
        writer.WriteUInt32BigEndian(NFTA_NAT_FAMILY, (uint)Family);
        WriteRegister(ref writer, NFTA_NAT_REG_ADDR_MIN, AddressMin);
        WriteRegister(ref writer, NFTA_NAT_REG_ADDR_MAX, AddressMax);
        WriteRegister(ref writer, NFTA_NAT_REG_PROTO_MIN, ProtoMin);
        WriteRegister(ref writer, NFTA_NAT_REG_PROTO_MAX, ProtoMax);
        if (Flags is uint flags)
        {
            writer.WriteUInt32BigEndian(NFTA_NAT_FLAGS, flags);
        }
    }

    internal override void Validate()
    {
        if (Family is not (NftFamily.IPv4 or NftFamily.IPv6))
        {
            throw new System.ArgumentException($"A nat expression translates IPv4 or IPv6 addresses, not {Family}.", nameof(Family));
        }
    }

    internal static void WriteRegister(ref NetlinkWriter writer, ushort type, NftRegister? register)
    {
        if (register is NftRegister r)
        {
            writer.WriteUInt32BigEndian(type, (uint)r);
        }
    }

    internal static NftNat Decode(NetlinkAttributeReader data)
    {
        uint type = 0, family = 0;
        NftRegister? amin = null, amax = null, pmin = null, pmax = null;
        uint? flags = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_NAT_TYPE: type = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_FAMILY: family = a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_ADDR_MIN: amin = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_ADDR_MAX: amax = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_PROTO_MIN: pmin = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_NAT_REG_PROTO_MAX: pmax = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_NAT_FLAGS: flags = a.GetUInt32BigEndian(); break;
            }
        }

        return new NftNat((NftNatType)type, (NftFamily)family, amin, amax, pmin, pmax, flags);
    }
}

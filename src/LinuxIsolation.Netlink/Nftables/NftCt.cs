using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Loads connection-tracking data into a register (<c>ct</c>), e.g. <c>ct state</c>.</summary>
/// <param name="Key">What to load.</param>
/// <param name="Destination">The register loaded.</param>
/// <param name="Direction">0 original, 1 reply, for keys that depend on direction; null otherwise.</param>
public sealed record NftCt(NftCtKey Key, NftRegister Destination = NftRegister.R1, byte? Direction = null) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "ct";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_CT_KEY, (uint)Key);
        writer.WriteUInt32BigEndian(NFTA_CT_DREG, (uint)Destination);
        if (Direction is byte d)
        {
            writer.WriteUInt8(NFTA_CT_DIRECTION, d);
        }
    }

    internal static NftCt Decode(NetlinkAttributeReader data)
    {
        uint key = 0, dreg = 0;
        byte? direction = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_CT_KEY: key = a.GetUInt32BigEndian(); break;
                case NFTA_CT_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_CT_DIRECTION: direction = a.GetUInt8(); break;
            }
        }

        return new NftCt((NftCtKey)key, (NftRegister)dreg, direction);
    }
}

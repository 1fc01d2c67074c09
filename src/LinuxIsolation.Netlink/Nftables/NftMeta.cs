using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Loads packet metadata into a register (<c>meta</c>), e.g. <c>oifname</c> or <c>meta l4proto</c>.</summary>
/// <param name="Key">What to load.</param>
/// <param name="Destination">The register loaded.</param>
public sealed record NftMeta(NftMetaKey Key, NftRegister Destination = NftRegister.R1) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "meta";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_META_KEY, (uint)Key);
        writer.WriteUInt32BigEndian(NFTA_META_DREG, (uint)Destination);
    }

    internal static NftMeta Decode(NetlinkAttributeReader data)
    {
        uint key = 0, dreg = 0;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_META_KEY: key = a.GetUInt32BigEndian(); break;
                case NFTA_META_DREG: dreg = a.GetUInt32BigEndian(); break;
            }
        }

        return new NftMeta((NftMetaKey)key, (NftRegister)dreg);
    }
}

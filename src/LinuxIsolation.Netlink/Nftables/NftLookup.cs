using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Looks a register up in a set or map (<c>lookup</c>): <c>ip saddr @allowed</c>; with <paramref name="Invert"/>,
/// <c>ip saddr != @allowed</c>; with a <paramref name="Destination"/>, the map's data is loaded into it.
/// </summary>
/// <param name="Set">The set's name (in the rule's table).</param>
/// <param name="Source">The register holding the key.</param>
/// <param name="Destination">For maps, the register the element's data is loaded into; null for sets.</param>
/// <param name="Invert">Match when the key is not in the set.</param>
/// <param name="SetId">The set's transaction id (<c>NFTA_SET_ID</c>) when it is created in the same batch; null otherwise.</param>
public sealed record NftLookup(string Set, NftRegister Source = NftRegister.R1, NftRegister? Destination = null, bool Invert = false, uint? SetId = null) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "lookup";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_LOOKUP_SREG, (uint)Source);
        writer.WriteString(NFTA_LOOKUP_SET, Set);
        if (Destination is NftRegister dreg)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_DREG, (uint)dreg);
        }

        if (SetId is uint id)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_SET_ID, id);
        }

        if (Invert)
        {
            writer.WriteUInt32BigEndian(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
        }
    }

    internal override void Validate() => NftNames.ValidateSet(Set, nameof(Set));

    internal static NftLookup Decode(NetlinkAttributeReader data)
    {
        string set = string.Empty;
        uint sreg = 0, flags = 0;
        NftRegister? dreg = null;
        uint? id = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_LOOKUP_SET: set = a.GetString(); break;
                case NFTA_LOOKUP_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_DREG: dreg = (NftRegister)a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_SET_ID: id = a.GetUInt32BigEndian(); break;
                case NFTA_LOOKUP_FLAGS: flags = a.GetUInt32BigEndian(); break;
            }
        }

        return new NftLookup(set, (NftRegister)sreg, dreg, (flags & NFT_LOOKUP_F_INV) != 0, id);
    }
}

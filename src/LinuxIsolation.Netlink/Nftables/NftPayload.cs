using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Loads <paramref name="Length"/> bytes of a packet header into a register (<c>payload</c>), e.g. <c>ip saddr</c> is network header offset 12, length 4.</summary>
/// <param name="Base">The header to read.</param>
/// <param name="Offset">Offset in bytes from the start of that header.</param>
/// <param name="Length">Number of bytes, 1 to 16 (<c>NFT_REG_SIZE</c>; up to 64 across registers).</param>
/// <param name="Destination">The register loaded.</param>
public sealed record NftPayload(NftPayloadBase Base, uint Offset, uint Length, NftRegister Destination = NftRegister.R1) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "payload";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_DREG, (uint)Destination);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_BASE, (uint)Base);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_OFFSET, Offset);
        writer.WriteUInt32BigEndian(NFTA_PAYLOAD_LEN, Length);
    }

    internal override void Validate()
    {
        if (Length is 0 or > NftData.MaxLength)
        {
            throw new System.ArgumentException($"A payload load is 1 to {NftData.MaxLength} bytes, not {Length}.", nameof(Length));
        }
    }

    internal static NftPayload Decode(NetlinkAttributeReader data)
    {
        uint dreg = 0, @base = 0, offset = 0, length = 0;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_PAYLOAD_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_BASE: @base = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_OFFSET: offset = a.GetUInt32BigEndian(); break;
                case NFTA_PAYLOAD_LEN: length = a.GetUInt32BigEndian(); break;
            }
        }

        return new NftPayload((NftPayloadBase)@base, offset, length, (NftRegister)dreg);
    }
}

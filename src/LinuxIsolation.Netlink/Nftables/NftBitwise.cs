using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Computes <c>destination = (source &amp; Mask) ^ Xor</c> over <paramref name="Length"/> bytes (<c>bitwise</c>), e.g.
/// the network part of an address for a prefix match, or the bits of <c>ct state</c>.
/// </summary>
/// <param name="Source">The register read.</param>
/// <param name="Destination">The register written.</param>
/// <param name="Length">Number of bytes.</param>
/// <param name="Mask">AND mask, <paramref name="Length"/> bytes.</param>
/// <param name="Xor">XOR value, <paramref name="Length"/> bytes.</param>
public sealed record NftBitwise(NftRegister Source, NftRegister Destination, uint Length, NftData Mask, NftData Xor) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "bitwise";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_BITWISE_SREG, (uint)Source);
        writer.WriteUInt32BigEndian(NFTA_BITWISE_DREG, (uint)Destination);
        writer.WriteUInt32BigEndian(NFTA_BITWISE_LEN, Length);
        NftWire.WriteData(ref writer, NFTA_BITWISE_MASK, Mask);
        NftWire.WriteData(ref writer, NFTA_BITWISE_XOR, Xor);
    }

    internal override void Validate()
    {
        if (Mask.Length != Length || Xor.Length != Length)
        {
            throw new System.ArgumentException($"A bitwise expression's mask ({Mask.Length} bytes) and xor ({Xor.Length} bytes) must both be {Length} bytes long.", nameof(Mask));
        }
    }

    internal static NftBitwise Decode(NetlinkAttributeReader data)
    {
        uint sreg = 0, dreg = 0, length = 0;
        NftData mask = default, xor = default;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_BITWISE_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_LEN: length = a.GetUInt32BigEndian(); break;
                case NFTA_BITWISE_MASK: mask = NftWire.ReadData(a, out _); break;
                case NFTA_BITWISE_XOR: xor = NftWire.ReadData(a, out _); break;
            }
        }

        return new NftBitwise((NftRegister)sreg, (NftRegister)dreg, length, mask, xor);
    }
}

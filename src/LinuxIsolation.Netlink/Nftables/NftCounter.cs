using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Counts packets and bytes that reach it (<c>counter</c>). When written, the counts are the starting values (nft sends none: zero).</summary>
/// <param name="Packets">Packets counted (as listed) or to start from.</param>
/// <param name="Bytes">Bytes counted (as listed) or to start from.</param>
public sealed record NftCounter(ulong Packets = 0, ulong Bytes = 0) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "counter";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        if (Packets != 0 || Bytes != 0)
        {
            writer.WriteUInt64BigEndian(NFTA_COUNTER_BYTES, Bytes);
            writer.WriteUInt64BigEndian(NFTA_COUNTER_PACKETS, Packets);
        }
    }

    internal static NftCounter Decode(NetlinkAttributeReader data)
    {
        ulong bytes = 0, packets = 0;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_COUNTER_BYTES: bytes = a.GetUInt64BigEndian(); break;
                case NFTA_COUNTER_PACKETS: packets = a.GetUInt64BigEndian(); break;
            }
        }

        return new NftCounter(packets, bytes);
    }
}

using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Ends the rule with a verdict (<c>immediate</c> into the verdict register): <c>accept</c>, <c>drop</c>, <c>jump CHAIN</c>, <c>goto CHAIN</c>, <c>return</c>.</summary>
/// <param name="Verdict">The verdict.</param>
public sealed record NftVerdictExpression(NftVerdict Verdict) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "immediate";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_IMMEDIATE_DREG, (uint)NftRegister.Verdict);
        NftWire.WriteVerdict(ref writer, NFTA_IMMEDIATE_DATA, Verdict);
    }

    internal override void Validate()
    {
        System.ArgumentNullException.ThrowIfNull(Verdict);
        Verdict.Validate();
    }

    /// <summary>Decodes an immediate expression into <see cref="NftImmediate"/> or <see cref="NftVerdictExpression"/>.</summary>
    internal static NftExpression DecodeImmediate(NetlinkAttributeReader data)
    {
        uint dreg = 0;
        NftData value = default;
        NftVerdict? verdict = null;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_IMMEDIATE_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_IMMEDIATE_DATA: value = NftWire.ReadData(a, out verdict); break;
            }
        }

        return verdict is not null ? new NftVerdictExpression(verdict) : new NftImmediate((NftRegister)dreg, value);
    }
}

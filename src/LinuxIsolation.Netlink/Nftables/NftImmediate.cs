using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Loads a constant into a data register (<c>immediate</c>), e.g. the address and port of a <c>dnat</c>.</summary>
/// <param name="Destination">The register loaded.</param>
/// <param name="Data">The value.</param>
public sealed record NftImmediate(NftRegister Destination, NftData Data) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "immediate";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_IMMEDIATE_DREG, (uint)Destination);
        NftWire.WriteData(ref writer, NFTA_IMMEDIATE_DATA, Data);
    }

    internal override void Validate()
    {
        if (Destination == NftRegister.Verdict)
        {
            throw new System.ArgumentException("Use NftVerdictExpression to set the verdict register.", nameof(Destination));
        }
    }
}

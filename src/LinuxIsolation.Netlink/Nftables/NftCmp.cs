using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Compares a register with a value and stops the rule unless the comparison holds (<c>cmp</c>).</summary>
/// <param name="Operation">The comparison.</param>
/// <param name="Data">The value; its length is the number of register bytes compared.</param>
/// <param name="Source">The register compared.</param>
public sealed record NftCmp(NftCmpOp Operation, NftData Data, NftRegister Source = NftRegister.R1) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "cmp";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        writer.WriteUInt32BigEndian(NFTA_CMP_SREG, (uint)Source);
        writer.WriteUInt32BigEndian(NFTA_CMP_OP, (uint)Operation);
        NftWire.WriteData(ref writer, NFTA_CMP_DATA, Data);
    }

    internal override void Validate()
    {
        if (Data.Length == 0)
        {
            throw new System.ArgumentException("A cmp expression needs a value of at least one byte.", nameof(Data));
        }
    }

    internal static NftCmp Decode(NetlinkAttributeReader data)
    {
        uint sreg = 0, op = 0;
        NftData value = default;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_CMP_SREG: sreg = a.GetUInt32BigEndian(); break;
                case NFTA_CMP_OP: op = a.GetUInt32BigEndian(); break;
                case NFTA_CMP_DATA: value = NftWire.ReadData(a, out _); break;
            }
        }

        return new NftCmp((NftCmpOp)op, value, (NftRegister)sreg);
    }
}

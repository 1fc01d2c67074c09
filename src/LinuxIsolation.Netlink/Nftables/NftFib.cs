using static LinuxIsolation.Netlink.Nftables.Native.NfTablesExpressionAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Looks the packet up in the routing table and loads the answer into a register (<c>fib</c>), e.g.
/// <c>fib daddr type</c> (the route type of the destination address, what iptables' <c>-m addrtype --dst-type</c>
/// matches). Linux 4.10.
/// </summary>
/// <param name="Result">What to load: the output interface's index or name, or the address type (an
/// <see cref="Rtnetlink.RouteType"/> value as a host-order 32-bit number).</param>
/// <param name="Flags">Which packet fields the lookup uses (<see cref="NftFibFlags.DestinationAddress"/> for <c>daddr</c>).</param>
/// <param name="Destination">The register loaded.</param>
public sealed record NftFib(NftFibResult Result, NftFibFlags Flags, NftRegister Destination = NftRegister.R1) : NftExpression
{
    /// <inheritdoc/>
    public override string Name => "fib";

    internal override void WriteData(ref NetlinkWriter writer)
    {
        // libnftnl's order (nft-fib-local.txt): NFTA_FIB_FLAGS, NFTA_FIB_RESULT, NFTA_FIB_DREG.
        writer.WriteUInt32BigEndian(NFTA_FIB_FLAGS, (uint)Flags);
        writer.WriteUInt32BigEndian(NFTA_FIB_RESULT, (uint)Result);
        writer.WriteUInt32BigEndian(NFTA_FIB_DREG, (uint)Destination);
    }

    internal static NftFib Decode(NetlinkAttributeReader data)
    {
        uint dreg = 0, result = 0, flags = 0;
        foreach (NetlinkAttribute a in data)
        {
            switch (a.Type)
            {
                case NFTA_FIB_DREG: dreg = a.GetUInt32BigEndian(); break;
                case NFTA_FIB_RESULT: result = a.GetUInt32BigEndian(); break;
                case NFTA_FIB_FLAGS: flags = a.GetUInt32BigEndian(); break;
            }
        }

        return new NftFib((NftFibResult)result, (NftFibFlags)flags, (NftRegister)dreg);
    }
}

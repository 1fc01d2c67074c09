using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Which packet fields a <see cref="NftFib"/> lookup uses (<c>enum nft_fib_flags</c>).</summary>
[Flags]
public enum NftFibFlags : uint
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary>Look up the source address (<c>fib saddr</c>, <c>NFTA_FIB_F_SADDR</c>).</summary>
    SourceAddress = 1 << 0,

    /// <summary>Look up the destination address (<c>fib daddr</c>, <c>NFTA_FIB_F_DADDR</c>).</summary>
    DestinationAddress = 1 << 1,

    /// <summary>Use the packet's mark (<c>. mark</c>, <c>NFTA_FIB_F_MARK</c>).</summary>
    Mark = 1 << 2,

    /// <summary>Restrict to the input interface (<c>. iif</c>, <c>NFTA_FIB_F_IIF</c>).</summary>
    InputInterface = 1 << 3,

    /// <summary>Restrict to the output interface (<c>. oif</c>, <c>NFTA_FIB_F_OIF</c>).</summary>
    OutputInterface = 1 << 4,

    /// <summary>Only test whether a route exists (<c>fib ... exists</c>, <c>NFTA_FIB_F_PRESENT</c>, Linux 4.14).</summary>
    Present = 1 << 5,
}

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>What a <see cref="NftFib"/> lookup loads (<c>enum nft_fib_result</c>).</summary>
public enum NftFibResult : uint
{
    /// <summary>The output interface's index (<c>fib ... oif</c>, <c>NFT_FIB_RESULT_OIF</c>).</summary>
    OutputInterface = 1,

    /// <summary>The output interface's name (<c>fib ... oifname</c>, <c>NFT_FIB_RESULT_OIFNAME</c>).</summary>
    OutputInterfaceName = 2,

    /// <summary>The address type, a <see cref="Rtnetlink.RouteType"/> value in host order (<c>fib ... type</c>, <c>NFT_FIB_RESULT_ADDRTYPE</c>).</summary>
    AddressType = 3,
}

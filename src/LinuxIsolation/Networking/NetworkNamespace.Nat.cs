using System;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Makes this namespace's firewall hold <paramref name="ruleset"/> under its owner tag, in one nf_tables transaction:
    /// what <see cref="NftNatBackend.Apply"/> does over an <see cref="NftablesClient"/> opened inside this namespace, in
    /// one call. Equivalent to <c>ip netns exec NS nft -f FILE</c> with <see cref="NftNatBackend.ToNftScript"/>'s text.
    /// Needs CAP_NET_ADMIN in the namespace; NAT in an inet table needs Linux 5.2.
    /// </summary>
    /// <param name="ruleset">The rules; <see cref="NatRuleset.ReplaceTable"/> says whether they replace the owner's table or are added to it.</param>
    /// <param name="family"><see cref="NftFamily.Inet"/> (IPv4 and IPv6, the default), <see cref="NftFamily.IPv4"/> or <see cref="NftFamily.IPv6"/>.</param>
    /// <exception cref="ArgumentException">Something in <paramref name="ruleset"/> is wrong, or the family is not one of the three (nothing was sent).</exception>
    /// <exception cref="NftTransactionException">The kernel refused; nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException">Opening the netfilter socket inside the namespace failed.</exception>
    public void ApplyNat(NatRuleset ruleset, NftFamily family = NftFamily.Inet)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        NftTransaction transaction = NftNatBackend.BuildTransaction(ruleset, family);
        using var client = new NftablesClient(OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        client.Commit(transaction, echo: false);
    }

    /// <summary>
    /// Deletes the nf_tables table of owner <paramref name="owner"/> in this namespace; not an error when it does not exist.
    /// What <see cref="NftNatBackend.Teardown"/> does, in one call. Equivalent to <c>ip netns exec NS nft delete table FAMILY OWNER</c>
    /// without the error for a missing table. Needs CAP_NET_ADMIN in the namespace.
    /// </summary>
    /// <param name="owner">The owner tag of the ruleset applied with <see cref="ApplyNat"/>.</param>
    /// <param name="family">The family it was applied with.</param>
    /// <exception cref="ArgumentException">The owner tag or family is not valid.</exception>
    /// <exception cref="NftTransactionException">The kernel refused; nothing changed.</exception>
    /// <exception cref="ObjectDisposedException">This object is disposed.</exception>
    /// <exception cref="LinuxSyscallException">Opening the netfilter socket inside the namespace failed.</exception>
    public void RemoveNat(string owner, NftFamily family = NftFamily.Inet)
    {
        ArgumentNullException.ThrowIfNull(owner);
        using var client = new NftablesClient(OpenNetlinkSocket(NetlinkProtocol.Netfilter));
        new NftNatBackend(client, family).Teardown(owner);
    }
}

using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// <see cref="NftNatBackend.Apply"/> is one nf_tables batch (delete the owner's table, re-create it with every
/// chain and rule): when the kernel refuses any rule in it, nothing of it takes effect. Shown with real refusals
/// (a jump to a chain that does not exist, a lookup in a set that does not exist) added to the very transaction
/// Apply commits: <c>nft -j list ruleset</c> inside the test's namespace is the same before and after.
/// </summary>
[Collection(FaultCollection.Name)]
public class NatApplyAtomicityTests
{
    private static readonly NatRuleset Current = new("lxi_steps")
    {
        Masquerades = [new NatMasquerade("10.201.0.0/24", ["uplink0"])],
        ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
    };

    private static readonly NatRuleset Desired = new("lxi_steps")
    {
        Masquerades = [new NatMasquerade("10.202.0.0/24", ["uplink1"])],
        ForwardAccepts = [NatForwardAccept.ForPrefix("10.202.0.0/24")],
        PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("10.202.0.5"), 80, IPAddress.Parse("198.51.100.1"))],
    };

    [Theory]
    [InlineData("jump to a missing chain", Errno.ENOENT)]
    [InlineData("lookup in a missing set", Errno.ENOENT)]
    public void ARefusedRuleLeavesTheRulesetUnchanged(string cause, int errno)
    {
        Privileged.Require();
        string name = NsTool.UniqueName("nat");
        using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
        try
        {
            using var client = new NftablesClient(ns.OpenNetlinkSocket(NetlinkProtocol.Netfilter));
            var backend = new NftNatBackend(client);
            backend.Apply(Current);
            // Somebody else's table too, which Apply must never touch.
            NsTool.Run("ip", "netns", "exec", name, "nft", "add table ip other; add chain ip other c; add rule ip other c counter accept");
            string before = NsTool.Run("ip", "netns", "exec", name, "nft", "-j", "list", "ruleset");
            Assert.Contains("\"10.201.0.0\"", before, StringComparison.Ordinal);

            NftTransaction transaction = NftNatBackend.BuildTransaction(Desired, NftFamily.Inet);
            var refused = new NftRuleBuilder(NftFamily.Inet);
            _ = cause == "jump to a missing chain"
                ? refused.Jump("no_such_chain")
                : refused.SourceAddressInSet("no_such_set", NftFamily.IPv4).Accept();
            // Last in the batch, after every delete and add of the owner's table that Apply sends.
            transaction.AddRule(refused.ToRule("lxi_steps", "postrouting"));

            var e = Assert.Throws<NftTransactionException>(() => client.Commit(transaction));
            Assert.Equal(errno, e.NativeErrorCode);
            Assert.Equal(transaction.Count - 1, e.OperationIndex);

            string after = NsTool.Run("ip", "netns", "exec", name, "nft", "-j", "list", "ruleset");
            Assert.Equal(before, after);

            // The same transaction without the refused rule goes through, so the refusal was the only cause.
            backend.Apply(Desired);
            Assert.Contains("\"10.202.0.0\"", NsTool.Run("ip", "netns", "exec", name, "nft", "-j", "list", "ruleset"), StringComparison.Ordinal);
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }
}

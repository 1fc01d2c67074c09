using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>Bad input is refused with ArgumentException before anything is sent (no socket is involved here at all).</summary>
public class NftValidationTests
{
    [Theory]
    [InlineData("10.201.0.1/24")] // host bits set
    [InlineData("10.201.0.0/33")]
    [InlineData("10.201.0.0/0")]
    [InlineData("10.201.0.0/-1")]
    [InlineData("10.201.0/24")]
    [InlineData("fd00::1/64")]
    [InlineData("fd00::/129")]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/x")]
    [InlineData("fe80::1%2/64")]
    public void BadPrefixesAreRefused(string prefix)
    {
        ArgumentException e = Assert.ThrowsAny<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).SourceAddress(prefix));
        Assert.Contains(prefix.Split('/')[0].Split('%')[0], e.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset("o") { Masquerades = [new NatMasquerade(prefix)] }, NftFamily.Inet));
    }

    [Fact]
    public void HostBitsMessageNamesTheNetwork()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.IPv4).SourceAddress("10.201.0.7/24"));
        Assert.Contains("10.201.0.0/24", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void PortsOutOfRangeAreRefused(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NftRuleBuilder(NftFamily.Inet).DestinationPort(ProtocolType.Tcp, port));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NftRuleBuilder(NftFamily.Inet).DestinationNat(IPAddress.Parse("10.0.0.1"), port));
        Assert.Throws<ArgumentOutOfRangeException>(() => NftNatBackend.BuildTransaction(
            new NatRuleset("o") { PortPublishes = [new NatPortPublish(ProtocolType.Tcp, port, IPAddress.Parse("10.0.0.1"), 80)] }, NftFamily.Inet));
        Assert.Throws<ArgumentOutOfRangeException>(() => NftNatBackend.BuildTransaction(
            new NatRuleset("o") { PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 80, IPAddress.Parse("10.0.0.1"), port)] }, NftFamily.Inet));
    }

    [Fact]
    public void MixedAddressFamiliesAreRefused()
    {
        // An IPv6 prefix or target in an ip table, IPv4 in an ip6 table.
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.IPv4).SourceAddress("fd00::/64"));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.IPv6).DestinationAddress("10.0.0.0/8"));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.IPv4).DestinationNat(IPAddress.Parse("fd00::5"), 80));
        // One inet rule matching IPv4 and IPv6, or IPv4 packets translated to an IPv6 address.
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).SourceAddress("10.0.0.0/8").DestinationAddress("fd00::/64"));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).SourceAddress("10.0.0.0/8").DestinationNat(IPAddress.Parse("fd00::5")));
        // A publish whose host and target addresses differ in family; an IPv6 publish in an ip table.
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset("o")
        {
            PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 80, IPAddress.Parse("fd00::5"), 80, IPAddress.Parse("10.0.0.1"))],
        }, NftFamily.Inet));
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset("o")
        {
            PortPublishes = [new NatPortPublish(ProtocolType.Udp, 80, IPAddress.Parse("fd00::5"), 80)],
        }, NftFamily.IPv4));
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset("o") { Masquerades = [new NatMasquerade("10.0.0.0/8")] }, NftFamily.IPv6));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).DestinationNat(IPAddress.Parse("::ffff:10.0.0.1")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("9lives")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    public void BadOwnerTagsAreRefused(string owner)
    {
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset(owner), NftFamily.Inet));
    }

    [Fact]
    public void OtherBadInputIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).OutputInterface("way-too-long-name0"));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).InputInterface("a/b"));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Bridge));
        Assert.Throws<ArgumentException>(() => new NftTransaction().AddChain(new NftChain(NftFamily.Inet, "t", "c", NftChainType.Nat)));
        Assert.Throws<ArgumentException>(() => new NftTransaction().AddChain(NftChain.Base(NftFamily.Inet, "t", "c", NftChainType.Filter, NftChainHook.Input, 0, NftVerdictCode.Jump)));
        Assert.Throws<ArgumentException>(() => new NftTransaction().AddTable(NftFamily.Inet, ""));
        Assert.Throws<ArgumentException>(() => new NftTransaction().AddTable((NftFamily)4, "t"));
        Assert.Throws<ArgumentException>(() => new NftTransaction().AddSet(new NftSet(NftFamily.Inet, "t", "s", NftDataType.IPv4Address, 4, NftSetFlags.Map)));
        Assert.Throws<ArgumentException>(() => new NftTransaction()
            .AddSet(new NftSet(NftFamily.Inet, "t", "s", NftDataType.IPv4Address, 4))
            .AddElements(NftFamily.Inet, "t", "s", [new NftSetElement(NftData.FromUInt16BigEndian(80))]));
        Assert.Throws<ArgumentException>(() => new NftRuleBuilder(NftFamily.Inet).Jump(""));
        Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset("o") { ForwardAccepts = [new NatForwardAccept()] }, NftFamily.Inet));
        Assert.Throws<ArgumentException>(() => new NatPortPublish(ProtocolType.Icmp, 1, IPAddress.Loopback, 1) is var p && NftNatBackend.BuildTransaction(new NatRuleset("o") { PortPublishes = [p] }, NftFamily.Inet) is null);
    }

    [Theory]
    [InlineData("web\n")]
    [InlineData("web\r")]
    [InlineData("1web")]
    [InlineData("")]
    [InlineData("web app")]
    [InlineData("a23456789012345678901234567890123")]
    public void OwnerTagsOutsideTheRuleAreRefusedBeforeAnySyscall(string owner)
    {
        var e = Assert.Throws<ArgumentException>(() => NftNatBackend.BuildTransaction(new NatRuleset(owner), NftFamily.Inet));
        Assert.Contains("owner tag", e.Message, StringComparison.Ordinal);
    }
}

using System;
using System.Net;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using Xunit;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>
/// Inputs the fuzzing harness (tests/Fuzz) found escaping the decoders with another exception than
/// <see cref="NetlinkDecodeException"/>; each is now refused with the documented one.
/// </summary>
public class DecoderFuzzRegressionTests
{
    private static byte[] Route(byte family, byte dstLen, byte[]? destination)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(Rtm.RTM_NEWROUTE, NetlinkMessageFlags.None);
        writer.WriteHeader(new RtMsg { rtm_family = family, rtm_dst_len = dstLen, rtm_table = 254, rtm_type = 1 });
        if (destination is not null)
        {
            writer.WriteBytes(RouteMessages.RTA_DST, destination);
        }

        writer.EndMessage(m);
        return writer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(2, 33, 4)]     // AF_INET, a /33
    [InlineData(2, 128, 4)]    // what the fuzzer sent: an IPv6 prefix length on an IPv4 route
    [InlineData(2, 255, 0)]    // no RTA_DST: the default destination 0.0.0.0 with a /255
    [InlineData(10, 129, 16)]  // AF_INET6, a /129
    public void RouteWithAPrefixLongerThanItsAddressIsADecodeError(byte family, byte dstLen, int addressLength)
    {
        byte[] message = Route(family, dstLen, addressLength == 0 ? null : new byte[addressLength]);
        NetlinkDecodeException e = Assert.Throws<NetlinkDecodeException>(() => RouteMessages.TryParse(NetlinkReader.ReadSingle(message), out _));
        Assert.Contains($"rtm_dst_len {dstLen}", e.Message, StringComparison.Ordinal);
        Assert.Throws<NetlinkDecodeException>(() => RtnetlinkMonitor.Decode(NetlinkReader.ReadSingle(message)));
    }

    [Fact]
    public void RouteWithTheLongestPrefixStillDecodes()
    {
        Assert.True(RouteMessages.TryParse(NetlinkReader.ReadSingle(Route(2, 32, [10, 0, 0, 1])), out Route? v4));
        Assert.Equal(IPNetwork.Parse("10.0.0.1/32"), v4!.Destination);
        Assert.True(RouteMessages.TryParse(NetlinkReader.ReadSingle(Route(10, 128, IPAddress.Parse("fd00::1").GetAddressBytes())), out Route? v6));
        Assert.Equal(128, v6!.Destination.PrefixLength);
    }

    [Theory]
    [InlineData(33, "10.0.0.1")]
    [InlineData(255, "10.0.0.1")]
    [InlineData(129, "fd00::1")]
    public void AddressWithAPrefixLongerThanItsAddressIsADecodeError(byte prefixLength, string address)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(Rtm.RTM_NEWADDR, NetlinkMessageFlags.None);
        IPAddress ip = IPAddress.Parse(address);
        writer.WriteHeader(new IfAddrMsg { ifa_family = AddressMessages.FamilyOf(ip), ifa_prefixlen = prefixLength, ifa_index = 3 });
        writer.WriteIPAddress(AddressMessages.IFA_LOCAL, ip);
        writer.EndMessage(m);

        // Before the fix Parse succeeded and reading InterfaceAddress.Network (also from ToString) threw ArgumentException.
        byte[] message = writer.WrittenSpan.ToArray();
        NetlinkDecodeException e = Assert.Throws<NetlinkDecodeException>(() => AddressMessages.Parse(NetlinkReader.ReadSingle(message)));
        Assert.Contains($"ifa_prefixlen {prefixLength}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NftablesExpressionWithAnEmptyNameIsADecodeError()
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(0x0a06, NetlinkMessageFlags.None); // NFT_MSG_NEWRULE
        writer.WriteHeader(new Native.NfGenMsg { nfgen_family = 2 });
        writer.WriteString(NFTA_RULE_TABLE, "t");
        writer.WriteString(NFTA_RULE_CHAIN, "c");
        NetlinkNestToken list = writer.BeginNested(NFTA_RULE_EXPRESSIONS | NLA_F_NESTED);
        NetlinkNestToken element = writer.BeginNested(NFTA_LIST_ELEM | NLA_F_NESTED);
        writer.WriteString(NFTA_EXPR_NAME, string.Empty);
        writer.EndNested(element);
        writer.EndNested(list);
        writer.EndMessage(m);

        // Before the fix the empty name reached NftUnknownExpression's constructor, which threw ArgumentException.
        byte[] message = writer.WrittenSpan.ToArray();
        Assert.Throws<NetlinkDecodeException>(() => NftRule.Parse(NetlinkReader.ReadSingle(message)));
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Rule encoders against requests captured from iproute2 6.1.0 on kernel 6.18 (Vectors/rule-*.txt, each with its
/// command line; sequence numbers zeroed on both sides), each decoded back; the decoder over a captured dump.
/// </summary>
public class RuleGoldenTests
{
    // Every request: nlmsghdr (len | 2000 RTM_NEWRULE or 2100 RTM_DELRULE or 2200 RTM_GETRULE | flags | seq | pid 0),
    // then struct fib_rule_hdr: family (02 AF_INET, 0a AF_INET6) | dst_len | src_len | tos | table (u8: the id when
    // below 256, else 0 and FRA_TABLE) | res1 | res2 | action (01 FR_ACT_TO_TBL, 06 blackhole, 07 unreachable,
    // 08 prohibit) | flags (u32: 02 FIB_RULE_INVERT).
    public static TheoryData<string, RoutingRule> Adds => new()
    {
        // 2c000000 len 44 | 2000 RTM_NEWRULE | 0506 REQUEST|ACK|EXCL|CREATE | seq | pid 0
        // 02 AF_INET | 00 dst_len | 18 src_len 24 | 00 tos | 64 table 100 | 00 00 | 01 FR_ACT_TO_TBL | 00000000 flags
        // 0800 0200 0a010000 FRA_SRC 10.1.0.0 | 0800 0600 e8030000 FRA_PRIORITY 1000 (a table below 256 only in the header)
        { "rule-add-from-table.txt", new RoutingRule { Source = IPNetwork.Parse("10.1.0.0/24"), Table = 100, Priority = 1000 } },
        // 02 | 10 dst_len 16 | 10 src_len 16 | 00 | 00 table (300 does not fit a byte) | 00 00 | 01 | flags 0
        // FRA_SRC 0a020000 | FRA_DST c0a80000 | 0800 0a00 FRA_FWMARK 0x10 | 0800 1000 FRA_FWMASK 0xff |
        // 0a00 0300 "veth0\0" FRA_IIFNAME | 0a00 1100 "veth1\0" FRA_OIFNAME | 0800 0f00 2c010000 FRA_TABLE 300 | FRA_PRIORITY 1001
        { "rule-add-selectors.txt", new RoutingRule
            {
                Source = IPNetwork.Parse("10.2.0.0/16"), Destination = IPNetwork.Parse("192.168.0.0/16"), FirewallMark = 0x10, FirewallMask = 0xff,
                InputInterface = "veth0", OutputInterface = "veth1", Table = 300, Priority = 1001,
            } },
        // dst_len 24, table fe (main) | FRA_PRIORITY 1002 | FRA_SUPPRESS_PREFIXLEN 0 | FRA_TABLE 254 | FRA_DST 10.3.0.0
        { "rule-add-suppress.txt", new RoutingRule { Destination = IPNetwork.Parse("10.3.0.0/24"), Table = 254, SuppressPrefixLength = 0, Priority = 1002 } },
        // src_len 32, action 06 FR_ACT_BLACKHOLE, no table | FRA_PRIORITY | FRA_SRC
        { "rule-add-blackhole.txt", new RoutingRule { Source = IPNetwork.Parse("10.4.0.1/32"), Action = RoutingRuleAction.Blackhole, Priority = 1003 } },
        // action 07 FR_ACT_UNREACHABLE
        { "rule-add-unreachable.txt", new RoutingRule { Source = IPNetwork.Parse("10.5.0.1/32"), Action = RoutingRuleAction.Unreachable, Priority = 1004 } },
        // action 08 FR_ACT_PROHIBIT
        { "rule-add-prohibit.txt", new RoutingRule { Source = IPNetwork.Parse("10.6.0.1/32"), Action = RoutingRuleAction.Prohibit, Priority = 1005 } },
        // family 0a AF_INET6, src_len 64 | FRA_PRIORITY | FRA_TABLE 200 | FRA_SRC fd00:: (16 bytes)
        { "rule-add-ipv6.txt", new RoutingRule { Source = IPNetwork.Parse("fd00::/64"), Table = 200, Priority = 1006 } },
        // flags 02 FIB_RULE_INVERT ("not")
        { "rule-add-not.txt", new RoutingRule { Invert = true, Source = IPNetwork.Parse("10.7.0.0/16"), Table = 100, Priority = 1007 } },
        // ... | FRA_PROTOCOL (u8) 04 RTPROT_STATIC
        { "rule-add-protocol.txt", new RoutingRule { Source = IPNetwork.Parse("10.8.0.0/16"), Table = 100, Priority = 1008, Protocol = RouteProtocol.Static } },
        // no priority (the kernel picks one), no mask: FRA_FWMARK 0x20 | FRA_TABLE 400
        { "rule-add-fwmark.txt", new RoutingRule { FirewallMark = 0x20, Table = 400 } },
    };

    private static NetlinkMessage AssertSameAsCapture(string vector, ReadOnlySpan<byte> written)
    {
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load(vector));
        byte[] actual = TestVectors.WithoutSequence(written);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        return NetlinkReader.ReadSingle(written);
    }

    [Theory]
    [MemberData(nameof(Adds))]
    public void AddRuleWritesWhatIpRuleAddSends(string vector, RoutingRule rule)
    {
        Assert.StartsWith("ip ", TestVectors.Command(vector), StringComparison.Ordinal);
        Span<byte> buffer = stackalloc byte[256];
        var writer = new NetlinkWriter(buffer);
        RuleMessages.WriteAdd(ref writer, rule);
        NetlinkMessage m = AssertSameAsCapture(vector, writer.WrittenSpan);
        Assert.Equal(RuleMessages.RTM_NEWRULE, m.Type);

        // Decoded back, the message is the rule written (the request sets no default the decoder would add).
        Assert.True(RuleMessages.TryParse(m, out RoutingRule? back));
        Assert.Equal(rule.EffectiveFamily, back!.Family);
        Assert.Equal(rule.Priority ?? 0, back.Priority);
        Assert.Equal(rule.Source, back.Source);
        Assert.Equal(rule.Destination, back.Destination);
        Assert.Equal(rule.FirewallMark, back.FirewallMark);
        Assert.Equal(rule.FirewallMask, back.FirewallMask);
        Assert.Equal(rule.InputInterface, back.InputInterface);
        Assert.Equal(rule.OutputInterface, back.OutputInterface);
        Assert.Equal(rule.Action ?? RoutingRuleAction.ToTable, back.Action);
        Assert.Equal(rule.SuppressPrefixLength, back.SuppressPrefixLength);
        Assert.Equal(rule.Invert, back.Invert);
        Assert.Equal(rule.Protocol, back.Protocol);
        if (rule.Table is uint t)
        {
            Assert.Equal(t, back.Table);
        }
    }

    [Fact]
    public void DeleteByPriority()
    {
        // ip rule del priority 1000
        // 1c000000 len 28 | 2100 RTM_DELRULE | 0500 REQUEST|ACK | seq | pid 0
        // fib_rule_hdr 02 AF_INET, all else 0 (action 0: any) | 0800 0600 e8030000 FRA_PRIORITY 1000
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        RuleMessages.WriteDelete(ref writer, new RoutingRule { Priority = 1000 });
        NetlinkMessage m = AssertSameAsCapture("rule-del-priority.txt", writer.WrittenSpan);
        Assert.Equal(RuleMessages.RTM_DELRULE, m.Type);
    }

    [Theory]
    [InlineData("rule-dump.txt", AddressFamily.InterNetwork)]
    [InlineData("rule-dump-ipv6.txt", AddressFamily.InterNetworkV6)]
    public void Dump(string vector, AddressFamily family)
    {
        // ip [-6] rule show: 1c000000 len 28 | 2200 RTM_GETRULE | 0103 REQUEST|DUMP | seq | pid 0 | fib_rule_hdr family only
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        RuleMessages.WriteDump(ref writer, family);
        NetlinkMessage m = AssertSameAsCapture(vector, writer.WrittenSpan);
        Assert.Equal(RuleMessages.RTM_GETRULE, m.Type);
    }

    [Fact]
    public void CapturedDumpDecodesToWhatIpPrinted()
    {
        // ip rule show after the rule-add-* captures (IPv4 ones); ip -j rule show taken right after.
        var rules = new List<RoutingRule>();
        bool done = false;
        foreach (byte[] datagram in TestVectors.LoadDatagrams("rule-dump-reply.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (message.IsDone)
                {
                    done = true;
                    continue;
                }

                Assert.True(RuleMessages.TryParse(message, out RoutingRule? rule));
                rules.Add(rule!);
            }
        }

        Assert.True(done);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestVectors.Directory, "rule-dump-reply.json")));
        JsonElement[] expected = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, rules.Count);
        foreach ((JsonElement e, RoutingRule r) in expected.Zip(rules))
        {
            Assert.Equal(AddressFamily.InterNetwork, r.Family);
            Assert.Equal(e.GetProperty("priority").GetUInt32(), r.Priority);
            string src = e.GetProperty("src").GetString()!;
            Assert.Equal(src == "all" ? null : IPNetwork.Parse($"{src}/{(e.TryGetProperty("srclen", out JsonElement sl) ? sl.GetInt32() : 32)}"), r.Source);
            Assert.Equal(e.TryGetProperty("dst", out JsonElement dst) ? IPNetwork.Parse($"{dst.GetString()}/{e.GetProperty("dstlen").GetInt32()}") : null, r.Destination);
            Assert.Equal(e.TryGetProperty("fwmark", out JsonElement fm) ? Convert.ToUInt32(fm.GetString(), 16) : null, r.FirewallMark);

            // ip prints a mask only when it is not all ones.
            uint? mask = r.FirewallMask == uint.MaxValue ? null : r.FirewallMask;
            Assert.Equal(e.TryGetProperty("fwmask", out JsonElement fk) ? Convert.ToUInt32(fk.GetString(), 16) : null, mask);
            Assert.Equal(e.TryGetProperty("iif", out JsonElement iif) ? iif.GetString() : null, r.InputInterface);
            Assert.Equal(e.TryGetProperty("oif", out JsonElement oif) ? oif.GetString() : null, r.OutputInterface);
            Assert.Equal(e.TryGetProperty("not", out _), r.Invert);
            Assert.Equal(e.TryGetProperty("suppress_prefixlen", out JsonElement sp) ? sp.GetInt32() : null, r.SuppressPrefixLength);
            Assert.Equal(e.TryGetProperty("protocol", out JsonElement p) ? p.GetString() : null, r.Protocol is RouteProtocol.Static ? "static" : null);
            if (e.TryGetProperty("action", out JsonElement action))
            {
                Assert.Equal(action.GetString(), r.Action!.Value.ToString().ToLowerInvariant());
            }
            else
            {
                Assert.Equal(RoutingRuleAction.ToTable, r.Action);
                string table = e.GetProperty("table").GetString()!;
                Assert.Equal(table switch { "local" => 255u, "main" => 254u, "default" => 253u, _ => uint.Parse(table) }, r.Table);
            }
        }
    }
}

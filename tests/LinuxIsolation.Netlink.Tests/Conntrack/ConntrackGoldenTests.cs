using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Conntrack;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Conntrack;

/// <summary>
/// ctnetlink encoders against requests captured from conntrack-tools 1.4.7 on kernel 6.18 (Vectors/ct-*.txt, each with
/// its command line; sequence numbers zeroed), and the decoder over a captured dump and captured events against what
/// that same conntrack run printed (Vectors/ct-*.out).
/// </summary>
public class ConntrackGoldenTests
{
    // Every message: nlmsghdr (type = NFNL_SUBSYS_CTNETLINK 01 << 8 | IPCTNL_MSG_CT_NEW 00 / GET 01 / DELETE 02) then
    // struct nfgenmsg: nfgen_family (00 unspec, 02 AF_INET, 0a AF_INET6) | version (00 NFNETLINK_V0) | res_id (be16 0).
    // Tuples: CTA_TUPLE_ORIG|NESTED (0180) { CTA_TUPLE_IP|NESTED { CTA_IP_V4_SRC (01) / V4_DST (02) or V6_SRC (03) /
    // V6_DST (04) } | CTA_TUPLE_PROTO|NESTED { CTA_PROTO_NUM (01, u8) | SRC_PORT (02) / DST_PORT (03) be16, or ICMP_ID (04)
    // be16 / ICMP_TYPE (05) / ICMP_CODE (06) u8 } }.
    private static NetlinkMessage AssertSameAsCapture(string vector, ReadOnlySpan<byte> written)
    {
        Assert.StartsWith("conntrack ", TestVectors.Command(vector), StringComparison.Ordinal);
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load(vector));
        byte[] actual = TestVectors.WithoutSequence(written);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        return NetlinkReader.ReadSingle(written);
    }

    [Theory]
    [InlineData("ct-dump.txt", AddressFamily.Unspecified)]
    [InlineData("ct-dump-ipv6.txt", AddressFamily.InterNetworkV6)]
    public void Dump(string vector, AddressFamily family)
    {
        // conntrack -L [-f ipv6]: 14000000 len 20 | 0101 CT_GET | 0103 REQUEST|DUMP | seq | pid 0 | nfgenmsg family 00 or 0a, v0, res_id 0
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteDump(ref writer, family);
        AssertSameAsCapture(vector, writer.WrittenSpan);
    }

    [Fact]
    public void DumpByMark()
    {
        // conntrack -L -m 0x10/0xff: 24000000 len 36 | 0101 | 0103 | nfgenmsg 00 | 0800 0800 00000010 CTA_MARK (be32) |
        // 0800 1500 000000ff CTA_MARK_MASK (be32)
        Span<byte> buffer = stackalloc byte[ConntrackMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteDump(ref writer, new ConntrackFilter { Mark = 0x10, MarkMask = 0xff });
        AssertSameAsCapture("ct-dump-mark.txt", writer.WrittenSpan);
    }

    public static TheoryData<string, ConntrackTuple> Gets => new()
    {
        // conntrack -G -p udp ...: 48000000 len 72 | 0101 CT_GET | 0500 REQUEST|ACK | nfgenmsg 02 | 3400 0180 CTA_TUPLE_ORIG {
        //   1400 0180 CTA_TUPLE_IP { 0800 0100 0a090001 | 0800 0200 0a090002 } | 1c00 0280 CTA_TUPLE_PROTO {
        //   0500 0100 11 UDP | 0600 0200 9c41 sport 40001 | 0600 0300 0035 dport 53 } }
        { "ct-get-udp.txt", ConntrackTuple.Udp(IPAddress.Parse("10.9.0.1"), 40001, IPAddress.Parse("10.9.0.2"), 53) },
        // family 0a; CTA_TUPLE_IP { 1400 0300 fd00::1 CTA_IP_V6_SRC | 1400 0400 fd00::2 CTA_IP_V6_DST }
        { "ct-get-udp6.txt", ConntrackTuple.Udp(IPAddress.Parse("fd00::1"), 40001, IPAddress.Parse("fd00::2"), 53) },
        // CTA_TUPLE_PROTO { 0500 0100 01 ICMP | 0500 0600 00 ICMP_CODE | 0500 0500 08 ICMP_TYPE | 0600 0400 004d ICMP_ID 77 }
        { "ct-get-icmp.txt", ConntrackTuple.Icmp(IPAddress.Parse("10.9.0.1"), IPAddress.Parse("10.9.0.2"), 8, 0, 77) },
    };

    [Theory]
    [MemberData(nameof(Gets))]
    public void Get(string vector, ConntrackTuple tuple)
    {
        Span<byte> buffer = stackalloc byte[ConntrackMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteGet(ref writer, tuple);
        NetlinkMessage m = AssertSameAsCapture(vector, writer.WrittenSpan);
        Assert.Equal(0x0101, m.Type);
    }

    [Fact]
    public void Flush()
    {
        // conntrack -F: 14000000 len 20 | 0201 CT_DELETE | 0500 REQUEST|ACK | nfgenmsg 00, v0, no attribute
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteFlush(ref writer);
        AssertSameAsCapture("ct-flush.txt", writer.WrittenSpan);
    }

    [Fact]
    public void FlushOneFamilySaysNfnetlinkV1()
    {
        // conntrack -F -f ipv6 sends nfgenmsg 0a, version 00: the kernel then ignores the family and empties both.
        // The library sends version 01 (NFNETLINK_V1, Linux 4.19), which makes the kernel honour it: byte 17 differs, nothing else.
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteFlush(ref writer, AddressFamily.InterNetworkV6);
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load("ct-flush-ipv6.txt"));
        byte[] actual = TestVectors.WithoutSequence(writer.WrittenSpan);
        Assert.Equal((0x0a, 0x00), (expected[16], expected[17]));
        Assert.Equal((0x0a, 0x01), (actual[16], actual[17]));
        actual[17] = 0;
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Fact]
    public void DeleteSendsTheTupleConntrackSends()
    {
        // conntrack -D -p udp ... dumps first and sends back each matching entry whole (both tuples, status, timeout,
        // mark, CTA_SYNPROXY); the kernel reads only CTA_TUPLE_ORIG (and zone, id). The library sends only those: the
        // header (but its length) and CTA_TUPLE_ORIG are the capture's bytes.
        Span<byte> buffer = stackalloc byte[ConntrackMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteDelete(ref writer, ConntrackTuple.Udp(IPAddress.Parse("10.9.0.1"), 40001, IPAddress.Parse("10.9.0.2"), 53));
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load("ct-delete-udp.txt"));
        byte[] actual = TestVectors.WithoutSequence(writer.WrittenSpan);

        // 4800 0000 len 72 | 0201 CT_DELETE | 0500 REQUEST|ACK | nfgenmsg 02 | 3400 0180 CTA_TUPLE_ORIG {...}
        Assert.Equal(72, actual.Length);
        Assert.Equal(Convert.ToHexString(expected.AsSpan(4, 16)), Convert.ToHexString(actual.AsSpan(4, 16)));
        Assert.Equal(Convert.ToHexString(expected.AsSpan(20, 52)), Convert.ToHexString(actual.AsSpan(20, 52)));
    }

    [Fact]
    public void DeleteWithZoneAndId()
    {
        // What the filtered flush sends per entry: CTA_TUPLE_ORIG | 0600 1200 0007 CTA_ZONE (be16) + pad | 0800 0c00 CTA_ID (be32).
        Span<byte> buffer = stackalloc byte[ConntrackMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        ConntrackMessages.WriteDelete(ref writer, ConntrackTuple.Udp(IPAddress.Parse("10.9.0.1"), 40001, IPAddress.Parse("10.9.0.2"), 53), zone: 7, id: 0x01020304);
        byte[] actual = writer.WrittenSpan.ToArray();
        Assert.Equal("060012000007000008000C0001020304", Convert.ToHexString(actual.AsSpan(72)));
    }

    [Fact]
    public void CapturedDumpDecodesToWhatConntrackPrinted()
    {
        // conntrack -L -o extended with accounting and timestamps on, TCP, UDP, ICMP and ICMPv6 over loopback and one
        // entry inserted with mark 0x10 and zone 7; ct-dump-reply.out is what that run printed.
        var entries = new List<ConntrackEntry>();
        foreach (byte[] datagram in TestVectors.LoadDatagrams("ct-dump-reply.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (!message.IsDone)
                {
                    Assert.True(ConntrackMessages.TryParse(message, out ConntrackEntry? e));
                    entries.Add(e!);
                }
            }
        }

        string[] lines = File.ReadAllLines(Path.Combine(TestVectors.Directory, "ct-dump-reply.out")).Where(l => !l.StartsWith("conntrack v", StringComparison.Ordinal)).ToArray();
        Assert.Equal(lines.Length, entries.Count);
        foreach ((string line, ConntrackEntry e) in lines.Zip(entries))
        {
            // ipv4     2 udp      17 12 src=... : family name and number, protocol name and number, timeout, [TCP state].
            string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(t[0] == "ipv4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6, e.Family);
            Assert.Equal(t[2], ConntrackTuple.ProtocolName(e.Protocol));
            Assert.Equal(int.Parse(t[3], CultureInfo.InvariantCulture), (int)e.Protocol);
            Assert.Equal(uint.Parse(t[4], CultureInfo.InvariantCulture), e.Timeout);
            Assert.Equal(t[5].Contains('=', StringComparison.Ordinal) ? null : t[5], e.TcpState?.ToString() switch { null => null, "TimeWait" => "TIME_WAIT", string s => s.ToUpperInvariant() });
            AssertPrinted(line, e, withCounters: true);
        }
    }

    [Fact]
    public void CapturedEventsDecodeToWhatConntrackPrinted()
    {
        // conntrack -E while an entry was inserted, updated (mark 0x42) and deleted; ct-events.out is what it printed.
        var events = new List<ConntrackEvent>();
        foreach (byte[] datagram in TestVectors.LoadDatagrams("ct-events.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                events.Add(ConntrackMonitor.Decode(message)!);
            }
        }

        string[] lines = File.ReadAllLines(Path.Combine(TestVectors.Directory, "ct-events.out")).Where(l => !l.StartsWith("conntrack v", StringComparison.Ordinal)).ToArray();
        Assert.Equal(lines.Length, events.Count);
        foreach ((string line, ConntrackEvent ev) in lines.Zip(events))
        {
            string kind = line.Trim().Split(' ')[0];
            Assert.Equal(kind, ev.Kind switch { ConntrackEventKind.New => "[NEW]", ConntrackEventKind.Update => "[UPDATE]", ConntrackEventKind.Destroy => "[DESTROY]", _ => "?" });
            ConntrackEntry e = ev.Entry!;
            Assert.Equal(AddressFamily.InterNetwork, e.Family);

            // A destroy event carries no timeout (conntrack prints the last one it knew).
            if (ev.Kind != ConntrackEventKind.Destroy)
            {
                Assert.Equal(uint.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture), e.Timeout);
            }

            AssertPrinted(line, e, withCounters: ev.Kind == ConntrackEventKind.Destroy);
        }
    }

    /// <summary>Checks the key=value fields conntrack printed (original tuple, [UNREPLIED], reply tuple, [ASSURED], mark, zone, use).</summary>
    private static void AssertPrinted(string line, ConntrackEntry e, bool withCounters)
    {
        string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int reply = Array.FindIndex(tokens, Array.FindIndex(tokens, t => t.StartsWith("src=", StringComparison.Ordinal)) + 1, t => t.StartsWith("src=", StringComparison.Ordinal));
        Dictionary<string, string> original = Fields(tokens.Take(reply));
        Dictionary<string, string> rest = Fields(tokens.Skip(reply));
        AssertTuple(original, e.Original);
        AssertTuple(rest, e.Reply);
        Assert.Equal(tokens.Contains("[UNREPLIED]"), (e.Status & ConntrackStatus.SeenReply) == 0);
        Assert.Equal(tokens.Contains("[ASSURED]"), (e.Status & ConntrackStatus.Assured) != 0);
        Assert.Equal(uint.Parse(rest["mark"], CultureInfo.InvariantCulture), e.Mark);
        Assert.Equal(rest.TryGetValue("zone", out string? zone) ? ushort.Parse(zone, CultureInfo.InvariantCulture) : (ushort)0, e.Zone);
        if (rest.TryGetValue("use", out string? use))
        {
            Assert.Equal(uint.Parse(use, CultureInfo.InvariantCulture), e.Use);
        }

        if (withCounters)
        {
            Assert.Equal(ulong.Parse(original["packets"], CultureInfo.InvariantCulture), e.OriginalCounters!.Value.Packets);
            Assert.Equal(ulong.Parse(original["bytes"], CultureInfo.InvariantCulture), e.OriginalCounters.Value.Bytes);
            Assert.Equal(ulong.Parse(rest["packets"], CultureInfo.InvariantCulture), e.ReplyCounters!.Value.Packets);
            Assert.Equal(ulong.Parse(rest["bytes"], CultureInfo.InvariantCulture), e.ReplyCounters.Value.Bytes);
        }
    }

    private static Dictionary<string, string> Fields(IEnumerable<string> tokens)
    {
        var fields = new Dictionary<string, string>();
        foreach (string t in tokens)
        {
            int eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields.TryAdd(t[..eq], t[(eq + 1)..]);
            }
        }

        return fields;
    }

    private static void AssertTuple(Dictionary<string, string> f, ConntrackTuple t)
    {
        Assert.Equal(IPAddress.Parse(f["src"]), t.Source);
        Assert.Equal(IPAddress.Parse(f["dst"]), t.Destination);
        Assert.Equal(f.TryGetValue("sport", out string? sp) ? ushort.Parse(sp, CultureInfo.InvariantCulture) : null, t.SourcePort);
        Assert.Equal(f.TryGetValue("dport", out string? dp) ? ushort.Parse(dp, CultureInfo.InvariantCulture) : null, t.DestinationPort);
        Assert.Equal(f.TryGetValue("type", out string? ty) ? byte.Parse(ty, CultureInfo.InvariantCulture) : null, t.IcmpType);
        Assert.Equal(f.TryGetValue("code", out string? co) ? byte.Parse(co, CultureInfo.InvariantCulture) : null, t.IcmpCode);
        Assert.Equal(f.TryGetValue("id", out string? id) ? ushort.Parse(id, CultureInfo.InvariantCulture) : null, t.IcmpId);
    }
}

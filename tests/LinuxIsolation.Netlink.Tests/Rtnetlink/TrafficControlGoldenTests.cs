using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Traffic control encoders against requests captured from iproute2 6.1.0's tc on kernel 6.18 (Vectors/tc-*.txt and
/// link-add-ifb.txt, each with its command line; sequence numbers zeroed), each decoded back; the qdisc and filter
/// decoders over captured dumps, against what <c>tc -j</c> printed. Link indexes of the captures: veth1 2, veth0 3,
/// veth2 5, ifb0 7.
/// </summary>
public class TrafficControlGoldenTests
{
    private const int Veth1 = 2;
    private const int Veth0 = 3;
    private const int Veth2 = 5;
    private const int Ifb0 = 7;

    private static readonly Dictionary<int, string> Names = new() { [1] = "lo", [Veth1] = "veth1", [Veth0] = "veth0", [4] = "veth3", [Veth2] = "veth2", [Ifb0] = "ifb0" };

    // Every request: nlmsghdr | struct tcmsg: family 00 | 3 pad | ifindex (s32) | handle (u32) | parent (u32) |
    // info (u32: a filter's priority in the upper 16 bits and its protocol, big-endian, in the lower 16).
    public static TheoryData<string, int, string> TokenBuckets => new()
    {
        // 64040000 len 1124 | 2400 RTM_NEWQDISC | 0506 REQUEST|ACK|EXCL|CREATE | tcmsg ifindex 3, handle 00000100 (1:),
        // parent ffffffff (root) | 0800 0100 "tbf\0" TCA_KIND | 3804 0200 TCA_OPTIONS {
        //   2800 0100 TCA_TBF_PARMS: rate spec (cell_log 3, linklayer 01 ethernet, overhead 0, cell_align ffff,
        //   mpu 0, rate 125000) | peakrate spec all 0 | limit 35893 (rate x latency + burst) | buffer 4096000 ticks
        //   (32768 B at 125000 B/s, 64 ns ticks) | mtu 0 | 0800 0600 00800000 TCA_TBF_BURST 32768 |
        //   0404 0200 TCA_TBF_RTAB: 256 transmit times of 8, 16, ... byte cells }
        { "tc-qdisc-add-tbf.txt", Veth0, "125000 32768 25ms" },
        // limit 30000 given: no latency; rate 1000000 B/s (8mbit), burst 16384
        { "tc-qdisc-add-tbf-limit.txt", Veth1, "1000000 16384 limit=30000" },
        // peak rate 250000 B/s (2mbit), mtu 1600: peakrate spec and TBF_PARMS.mtu set, TCA_TBF_PBURST 1600 and a
        // second table TCA_TBF_PTAB after the first; the limit is the smaller of the two rates' limits
        { "tc-qdisc-add-tbf-peak.txt", Veth2, "125000 32768 25ms peak=250000/1600" },
        // 40gbit = 5e9 B/s: the rate spec's u32 rate is saturated (ffffffff) and TCA_TBF_RATE64 carries the rate
        { "tc-qdisc-add-tbf-rate64.txt", Veth2, "5000000000 1048576 1ms" },
    };

    private static NetlinkMessage AssertSameAsCapture(string vector, ReadOnlySpan<byte> written)
    {
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load(vector));
        byte[] actual = TestVectors.WithoutSequence(written);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        return NetlinkReader.ReadSingle(written);
    }

    private static TokenBucket Bucket(string spec)
    {
        string[] parts = spec.Split(' ');
        var bucket = new TokenBucket { RateBytesPerSecond = ulong.Parse(parts[0], CultureInfo.InvariantCulture), BurstBytes = uint.Parse(parts[1], CultureInfo.InvariantCulture) };
        foreach (string p in parts.Skip(2))
        {
            if (p.StartsWith("limit=", StringComparison.Ordinal))
            {
                bucket = bucket with { LimitBytes = uint.Parse(p[6..], CultureInfo.InvariantCulture) };
            }
            else if (p.StartsWith("peak=", StringComparison.Ordinal))
            {
                string[] peak = p[5..].Split('/');
                bucket = bucket with { PeakRateBytesPerSecond = ulong.Parse(peak[0], CultureInfo.InvariantCulture), MinimumBurstBytes = uint.Parse(peak[1], CultureInfo.InvariantCulture) };
            }
            else
            {
                bucket = bucket with { Latency = TimeSpan.FromMilliseconds(int.Parse(p[..^2], CultureInfo.InvariantCulture)) };
            }
        }

        return bucket;
    }

    [Theory]
    [MemberData(nameof(TokenBuckets))]
    public void AddTokenBucketWritesWhatTcSends(string vector, int link, string spec)
    {
        Assert.StartsWith("tc qdisc add dev ", TestVectors.Command(vector), StringComparison.Ordinal);
        TokenBucket bucket = Bucket(spec);
        Span<byte> buffer = stackalloc byte[TrafficControlMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteAddTokenBucket(ref writer, link, bucket, TrafficControlHandle.Create(1, 0), TrafficControlHandle.Root);
        NetlinkMessage m = AssertSameAsCapture(vector, writer.WrittenSpan);
        Assert.Equal(TrafficControlMessages.RTM_NEWQDISC, m.Type);

        // Decoded back: the same kind, place and bucket (the latency is not sent: tc turns it into the limit).
        Qdisc q = TrafficControlMessages.ParseQdisc(m);
        Assert.Equal(link, q.LinkIndex);
        Assert.Equal("tbf", q.Kind);
        Assert.Equal("1:", q.Handle.ToString());
        Assert.True(q.IsRoot);
        Assert.Equal(bucket.RateBytesPerSecond, q.TokenBucket!.RateBytesPerSecond);
        Assert.Equal(bucket.BurstBytes, q.TokenBucket.BurstBytes);
        Assert.Equal(bucket.PeakRateBytesPerSecond, q.TokenBucket.PeakRateBytesPerSecond);
        if (bucket.LimitBytes is uint limit)
        {
            Assert.Equal(limit, q.TokenBucket.LimitBytes);
        }
    }

    [Fact]
    public void ReplaceSetsReplaceInsteadOfExclusive()
    {
        // tc qdisc replace: NLM_F_CREATE|NLM_F_REPLACE (0x0500) where add has NLM_F_CREATE|NLM_F_EXCL (0x0600); the rest is the same.
        Span<byte> buffer = stackalloc byte[TrafficControlMessages.MaxRequestSize];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteAddTokenBucket(ref writer, Veth0, Bucket("125000 32768 25ms"), TrafficControlHandle.Create(1, 0), TrafficControlHandle.Root, replace: true);
        byte[] expected = TestVectors.WithoutSequence(TestVectors.Load("tc-qdisc-add-tbf.txt"));
        byte[] actual = TestVectors.WithoutSequence(writer.WrittenSpan);
        Assert.Equal(0x0605, BitConverter.ToUInt16(expected, 6));
        Assert.Equal(0x0505, BitConverter.ToUInt16(actual, 6));
        actual[7] = expected[7];
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Fact]
    public void AddIngress()
    {
        // tc qdisc add dev veth0 ingress
        // 30000000 len 48 | 2400 RTM_NEWQDISC | 0506 | tcmsg ifindex 3, handle 0000ffff (ffff:), parent f1ffffff (ffff:fff1)
        // | 0c00 0100 "ingress\0" TCA_KIND | 0400 0200 TCA_OPTIONS (empty: tc sends it)
        Span<byte> buffer = stackalloc byte[128];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteAddIngress(ref writer, Veth0);
        NetlinkMessage m = AssertSameAsCapture("tc-qdisc-add-ingress.txt", writer.WrittenSpan);
        Qdisc q = TrafficControlMessages.ParseQdisc(m);
        Assert.Equal("ingress", q.Kind);
        Assert.True(q.IsIngress);
        Assert.Equal(TrafficControlHandle.IngressQdisc, q.Handle);
    }

    [Fact]
    public void DeleteIngress()
    {
        // tc qdisc del dev veth0 ingress: 2500 RTM_DELQDISC | 0500 REQUEST|ACK | tcmsg ifindex 3, handle ffff:, parent ffff:fff1 | TCA_KIND "ingress"
        Span<byte> buffer = stackalloc byte[128];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteDeleteIngress(ref writer, Veth0);
        NetlinkMessage m = AssertSameAsCapture("tc-qdisc-del-ingress.txt", writer.WrittenSpan);
        Assert.Equal(TrafficControlMessages.RTM_DELQDISC, m.Type);
    }

    [Fact]
    public void DeleteRoot()
    {
        // tc qdisc del dev veth0 root: 24000000 len 36 | 2500 RTM_DELQDISC | 0500 | tcmsg ifindex 3, handle 0, parent ffffffff; no attribute
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteDeleteQdisc(ref writer, Veth0, TrafficControlHandle.Root);
        NetlinkMessage m = AssertSameAsCapture("tc-qdisc-del-root.txt", writer.WrittenSpan);
        Assert.Equal(TrafficControlMessages.RTM_DELQDISC, m.Type);
    }

    [Fact]
    public void DumpQdiscs()
    {
        // tc -s qdisc show dev veth0: 24000000 len 36 | 2600 RTM_GETQDISC | 0103 REQUEST|DUMP | tcmsg ifindex 3, the rest 0
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteDumpQdiscs(ref writer, Veth0);
        NetlinkMessage m = AssertSameAsCapture("tc-qdisc-dump.txt", writer.WrittenSpan);
        Assert.Equal(TrafficControlMessages.RTM_GETQDISC, m.Type);
    }

    [Fact]
    public void AddRedirectFilter()
    {
        // tc filter add dev veth0 parent ffff: protocol all prio 1 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev ifb0
        // 2c00 RTM_NEWTFILTER | 0506 | tcmsg ifindex 3, handle 0, parent ffff0000 (ffff:), info 0001 0300 (prio 1, ETH_P_ALL be16)
        // | 0800 0100 "u32\0" TCA_KIND | TCA_OPTIONS { 0800 0100 01000100 TCA_U32_CLASSID 1:1 |
        //   TCA_U32_ACT { 1: { 0b00 0100 "mirred\0" TCA_ACT_KIND | TCA_ACT_OPTIONS|NESTED { 2000 0200 TCA_MIRRED_PARMS
        //   struct tc_mirred: index 0, capab 0, action 04 TC_ACT_STOLEN, refcnt 0, bindcnt 0, eaction 01 TCA_EGRESS_REDIR,
        //   ifindex 7 } } } | 2400 0500 TCA_U32_SEL: struct tc_u32_sel flags 01 TC_U32_TERMINAL, nkeys 1, the rest 0,
        //   one struct tc_u32_key mask 0 val 0 off 0 offmask 0 }
        Span<byte> buffer = stackalloc byte[256];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteAddRedirectFilter(ref writer, Veth0, TrafficControlHandle.IngressQdisc, 1, EtherTypes.All, TrafficControlHandle.Create(1, 1), MirredAction.EgressRedirect, Ifb0);
        NetlinkMessage m = AssertSameAsCapture("tc-filter-add-redirect.txt", writer.WrittenSpan);
        TrafficFilter f = TrafficControlMessages.ParseFilter(m);
        Assert.Equal("u32", f.Kind);
        Assert.Equal(Veth0, f.LinkIndex);
        Assert.Equal((ushort)1, f.Priority);
        Assert.Equal(EtherTypes.All, f.Protocol);
        Assert.Equal(TrafficControlHandle.Create(1, 1), f.ClassId);
        TrafficAction a = Assert.Single(f.Actions);
        Assert.Equal("mirred", a.Kind);
        Assert.Equal(MirredAction.EgressRedirect, a.Mirred);
        Assert.Equal(Ifb0, a.TargetIndex);
    }

    [Fact]
    public void DumpAndDeleteFilters()
    {
        // tc filter show dev veth0 parent ffff: : 2e00 RTM_GETTFILTER | 0103 REQUEST|DUMP | tcmsg ifindex 3, parent ffff0000
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteDumpFilters(ref writer, Veth0, TrafficControlHandle.IngressQdisc);
        AssertSameAsCapture("tc-filter-dump.txt", writer.WrittenSpan);

        // tc filter del dev veth0 parent ffff: protocol all prio 1: 2d00 RTM_DELTFILTER | 0500 | parent ffff0000 | info 0003 0100
        writer = new NetlinkWriter(buffer);
        TrafficControlMessages.WriteDeleteFilters(ref writer, Veth0, TrafficControlHandle.IngressQdisc, 1, EtherTypes.All);
        NetlinkMessage m = AssertSameAsCapture("tc-filter-del.txt", writer.WrittenSpan);
        Assert.Equal(TrafficControlMessages.RTM_DELTFILTER, m.Type);
    }

    [Fact]
    public void CreateIfb()
    {
        // ip link add ifb0 type ifb: 1000 RTM_NEWLINK | 0506 | ifinfomsg 0 | 0900 0300 "ifb0\0" IFLA_IFNAME |
        // 0c00 1200 IFLA_LINKINFO { 0700 0100 "ifb" (no NUL) IFLA_INFO_KIND }
        Span<byte> buffer = stackalloc byte[128];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteCreate(ref writer, "ifb0", "ifb");
        NetlinkMessage m = AssertSameAsCapture("link-add-ifb.txt", writer.WrittenSpan);
        Assert.Equal(Rtm.RTM_NEWLINK, m.Type);
    }

    [Fact]
    public void CapturedQdiscDumpDecodesToWhatTcPrinted()
    {
        // tc -s qdisc show of a namespace with the tbf qdiscs of veth0, veth1 and veth2 and veth0's ingress; tc -s -j qdisc show right after.
        var qdiscs = new List<Qdisc>();
        foreach (byte[] datagram in TestVectors.LoadDatagrams("tc-qdisc-dump-reply.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (!message.IsDone)
                {
                    qdiscs.Add(TrafficControlMessages.ParseQdisc(message));
                }
            }
        }

        // tc -j leaves out the links' default noqueue qdiscs.
        Assert.All(qdiscs.Where(q => q.Kind == "noqueue"), q => Assert.True(q.IsRoot));
        Qdisc[] shown = qdiscs.Where(q => q.Kind != "noqueue").ToArray();
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestVectors.Directory, "tc-qdisc-dump-reply.json")));
        JsonElement[] expected = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, shown.Length);
        foreach ((JsonElement e, Qdisc q) in expected.Zip(shown))
        {
            Assert.Equal(e.GetProperty("kind").GetString(), q.Kind);
            Assert.Equal(e.GetProperty("handle").GetString(), q.Handle.ToString());
            Assert.Equal(e.GetProperty("dev").GetString(), Names[q.LinkIndex]);
            Assert.Equal(e.TryGetProperty("root", out _), q.IsRoot);
            if (e.TryGetProperty("parent", out JsonElement parent))
            {
                Assert.Equal(parent.GetString(), q.Parent.ToString());
            }

            JsonElement options = e.GetProperty("options");
            if (q.Kind == "tbf")
            {
                Assert.Equal(options.GetProperty("rate").GetUInt64(), q.TokenBucket!.RateBytesPerSecond);
                Assert.Equal(options.GetProperty("burst").GetUInt32(), q.TokenBucket.BurstBytes);
                Assert.Equal(options.TryGetProperty("minburst", out JsonElement mb) ? mb.GetUInt32() : null, q.TokenBucket.MinimumBurstBytes);
            }
            else
            {
                Assert.Null(q.TokenBucket);
            }

            TrafficControlStatistics s = q.Statistics!.Value;
            Assert.Equal(e.GetProperty("bytes").GetUInt64(), s.Bytes);
            Assert.Equal(e.GetProperty("packets").GetUInt64(), s.Packets);
            Assert.Equal(e.GetProperty("drops").GetUInt32(), s.Drops);
            Assert.Equal(e.GetProperty("overlimits").GetUInt32(), s.Overlimits);
            Assert.Equal(e.GetProperty("requeues").GetUInt32(), s.Requeues);
            Assert.Equal(e.GetProperty("backlog").GetUInt32(), s.Backlog);
            Assert.Equal(e.GetProperty("qlen").GetUInt32(), s.QueueLength);
        }
    }

    [Fact]
    public void CapturedFilterDumpDecodesToWhatTcPrinted()
    {
        // tc filter show dev veth0 parent ffff: after tc-filter-add-redirect; tc -j filter show right after.
        var filters = new List<TrafficFilter>();
        foreach (byte[] datagram in TestVectors.LoadDatagrams("tc-filter-dump-reply.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (!message.IsDone)
                {
                    filters.Add(TrafficControlMessages.ParseFilter(message));
                }
            }
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestVectors.Directory, "tc-filter-dump-reply.json")));
        JsonElement[] expected = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, filters.Count);
        foreach ((JsonElement e, TrafficFilter f) in expected.Zip(filters))
        {
            Assert.Equal(Veth0, f.LinkIndex);
            Assert.Equal(TrafficControlHandle.IngressQdisc, f.Parent);
            Assert.Equal(e.GetProperty("kind").GetString(), f.Kind);
            Assert.Equal(e.GetProperty("pref").GetUInt16(), f.Priority);
            Assert.Equal("all", e.GetProperty("protocol").GetString());
            Assert.Equal(EtherTypes.All, f.Protocol);
            Assert.Equal(e.GetProperty("chain").GetUInt32(), f.Chain);
            JsonElement options = e.TryGetProperty("options", out JsonElement o) ? o : default;
            Assert.Equal(options.ValueKind == JsonValueKind.Object ? U32Handle(options.GetProperty("fh").GetString()!) : 0u, f.Handle);
            Assert.Equal(options.ValueKind == JsonValueKind.Object && options.TryGetProperty("flowid", out JsonElement flow) ? TrafficControlHandle.Parse(flow.GetString()!) : null, f.ClassId);
            JsonElement[] actions = options.ValueKind == JsonValueKind.Object && options.TryGetProperty("actions", out JsonElement a) ? a.EnumerateArray().ToArray() : [];
            Assert.Equal(actions.Length, f.Actions.Count);
            foreach ((JsonElement ea, TrafficAction fa) in actions.Zip(f.Actions))
            {
                Assert.Equal(ea.GetProperty("order").GetInt32(), fa.Order);
                Assert.Equal(ea.GetProperty("kind").GetString(), fa.Kind);
                Assert.Equal(("redirect", "egress"), (ea.GetProperty("mirred_action").GetString(), ea.GetProperty("direction").GetString()));
                Assert.Equal(MirredAction.EgressRedirect, fa.Mirred);
                Assert.Equal(ea.GetProperty("to_dev").GetString(), Names[fa.TargetIndex!.Value]);
                Assert.Equal(ea.GetProperty("index").GetUInt32(), fa.Index);
            }
        }
    }

    /// <summary>A u32 handle as tc prints it: "htid:hash:node", hex, empty parts 0 ("800:" is 0x80000000).</summary>
    private static uint U32Handle(string text)
    {
        string[] parts = text.Split(':');
        uint Part(int i) => i < parts.Length && parts[i].Length > 0 ? uint.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture) : 0;
        return (Part(0) << 20) | (Part(1) << 12) | Part(2);
    }
}

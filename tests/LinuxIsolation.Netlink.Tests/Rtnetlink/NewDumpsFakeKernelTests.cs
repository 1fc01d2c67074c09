using System;
using System.Collections.Generic;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Conntrack;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;
using static LinuxIsolation.Netlink.Tests.FakeNetlinkTransport;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Against a fake kernel that answers with captured dumps (Vectors/*-dump-reply.txt): the list methods of rules, qdiscs,
/// filters and conntrack entries send exactly the writers' bytes, repeat a dump flagged <c>NLM_F_DUMP_INTR</c>, and the
/// flag of the last attempt reaches their caller with the items.
/// </summary>
public class NewDumpsFakeKernelTests
{
    /// <summary>A kernel that answers every request with <paramref name="vector"/>'s datagrams, renumbered, flagged interrupted when asked.</summary>
    private static Func<byte[], IEnumerable<byte[]?>> Replay(string vector, Func<bool> interrupted, List<byte[]> requests)
    {
        List<byte[]> datagrams = TestVectors.LoadDatagrams(vector);
        return sent =>
        {
            requests.Add(sent);
            bool flag = interrupted();
            var answer = new List<byte[]?>();
            foreach (byte[] captured in datagrams)
            {
                byte[] d = (byte[])captured.Clone();
                for (int offset = 0; offset + 16 <= d.Length;)
                {
                    int length = BitConverter.ToInt32(d, offset);
                    BitConverter.TryWriteBytes(d.AsSpan(offset + 8), SequenceAt(sent));
                    BitConverter.TryWriteBytes(d.AsSpan(offset + 12), 4242u);
                    if (flag && BitConverter.ToUInt16(d, offset + 4) != 3 /* NLMSG_DONE */)
                    {
                        ushort flags = BitConverter.ToUInt16(d, offset + 6);
                        BitConverter.TryWriteBytes(d.AsSpan(offset + 6), (ushort)(flags | (ushort)NetlinkMessageFlags.DumpInterrupted));
                    }

                    offset += (length + 3) & ~3;
                }

                answer.Add(d);
            }

            return answer;
        };
    }

    private delegate void Write(ref NetlinkWriter writer);

    private static void AssertSentWritersBytes(byte[] sent, Write write)
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkWriter(buffer);
        write(ref writer);
        byte[] written = buffer.AsSpan(0, writer.Length).ToArray();
        BitConverter.TryWriteBytes(written.AsSpan(8), SequenceAt(sent));
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(sent));
    }

    [Fact]
    public void ListRulesReportsAnInterruptedDumpAfterItsRetries()
    {
        var requests = new List<byte[]>();
        using NetlinkSocket socket = Socket(Replay("rule-dump-reply.txt", () => true, requests), out _);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        NetlinkDumpResult<RoutingRule> rules = client.ListRules(AddressFamily.InterNetwork, maxRetries: 2);
        Assert.True(rules.Interrupted);
        Assert.Equal(3, rules.Attempts);
        Assert.Equal(3, requests.Count);
        Assert.Equal(12, rules.Count);
        Assert.Equal(1001u, rules[3].Priority);
        AssertSentWritersBytes(requests[0], (ref NetlinkWriter w) => RuleMessages.WriteDump(ref w, AddressFamily.InterNetwork));
    }

    [Fact]
    public void ListRulesRepeatsUntilConsistent()
    {
        int attempt = 0;
        var requests = new List<byte[]>();
        using NetlinkSocket socket = Socket(Replay("rule-dump-reply.txt", () => ++attempt == 1, requests), out _);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        NetlinkDumpResult<RoutingRule> rules = client.ListRules();
        Assert.False(rules.Interrupted);
        Assert.Equal(2, rules.Attempts);
        Assert.Equal(12, rules.Count);
    }

    [Fact]
    public void ListQdiscsKeepsTheFlagThroughItsLinkFilter()
    {
        var requests = new List<byte[]>();
        using NetlinkSocket socket = Socket(Replay("tc-qdisc-dump-reply.txt", () => true, requests), out _);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);

        // The kernel dumps every link's qdiscs; the client keeps veth0's (index 3): its tbf and its ingress.
        NetlinkDumpResult<Qdisc> qdiscs = client.ListQdiscs(3, maxRetries: 1);
        Assert.True(qdiscs.Interrupted);
        Assert.Equal(2, qdiscs.Attempts);
        Assert.Equal(new[] { "tbf", "ingress" }, new[] { qdiscs[0].Kind, qdiscs[1].Kind });
        Assert.Equal(2, qdiscs.Count);
        AssertSentWritersBytes(requests[0], (ref NetlinkWriter w) => TrafficControlMessages.WriteDumpQdiscs(ref w, 3));
    }

    [Fact]
    public void ListFiltersReportsAnInterruptedDump()
    {
        var requests = new List<byte[]>();
        using NetlinkSocket socket = Socket(Replay("tc-filter-dump-reply.txt", () => true, requests), out _);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        NetlinkDumpResult<TrafficFilter> filters = client.ListFilters(3, maxRetries: 0);
        Assert.True(filters.Interrupted);
        Assert.Equal(1, filters.Attempts);
        Assert.Equal(3, filters.Count);
        Assert.Equal(7, filters[2].Actions[0].TargetIndex);
        AssertSentWritersBytes(requests[0], (ref NetlinkWriter w) => TrafficControlMessages.WriteDumpFilters(ref w, 3, TrafficControlHandle.IngressQdisc));
    }

    [Fact]
    public void ListEntriesReportsAnInterruptedDumpAlsoWhenFiltered()
    {
        var requests = new List<byte[]>();
        using NetlinkSocket socket = Socket(Replay("ct-dump-reply.txt", () => true, requests), out _, protocol: NetlinkProtocol.Netfilter);
        using var client = new ConntrackClient(socket, ownsSocket: false);
        NetlinkDumpResult<ConntrackEntry> all = client.ListEntries(maxRetries: 1);
        Assert.True(all.Interrupted);
        Assert.Equal(2, all.Attempts);
        Assert.Equal(7, all.Count);
        AssertSentWritersBytes(requests[0], (ref NetlinkWriter w) => ConntrackMessages.WriteDump(ref w));

        // The zone is checked by the client too (kernels before 6.8 ignore it in dumps): one entry, the flag kept.
        var filter = new ConntrackFilter { Zone = 7 };
        NetlinkDumpResult<ConntrackEntry> zoned = client.ListEntries(filter, maxRetries: 0);
        Assert.True(zoned.Interrupted);
        Assert.Equal(1, zoned.Attempts);
        Assert.Equal(7, Assert.Single(zoned).Zone);
        AssertSentWritersBytes(requests[2], (ref NetlinkWriter w) => ConntrackMessages.WriteDump(ref w, filter));
    }
}

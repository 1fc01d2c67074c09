using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;
using static LinuxIsolation.Netlink.Tests.FakeNetlinkTransport;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>Sequencing, errors, dumps and pipelining against a fake kernel: no privileges needed.</summary>
public class NetlinkSocketProtocolTests
{
    private static byte[] VethRequest(string name = "va", string peer = "vb", int nsfd = -1)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteCreateVeth(ref writer, name, peer, nsfd < 0 ? default : NetworkNamespaceTarget.FromFileDescriptor(nsfd));
        return buffer.AsSpan(0, writer.Length).ToArray();
    }

    private static byte[] DumpRequest()
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteDump(ref writer);
        return buffer.AsSpan(0, writer.Length).ToArray();
    }

    private static byte[] LinkReply(uint sequence, int index, string name, NetlinkMessageFlags extra = 0)
    {
        byte[] header = new byte[16];
        BitConverter.TryWriteBytes(header.AsSpan(4), index);
        byte[] payload = Kernel.Concat(header, Kernel.Attribute(3, Encoding.UTF8.GetBytes(name + "\0")));
        return Kernel.Message(16, NetlinkMessageFlags.Multi | extra, sequence, payload);
    }

    [Fact]
    public void RequestStampsSequenceAndFlagsAndReturnsOnAck()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        byte[] request = VethRequest();
        socket.Request(request);
        socket.Request(request);

        Assert.Equal(2, t.Sent.Count);
        Assert.Equal(SequenceAt(t.Sent[0]) + 1, SequenceAt(t.Sent[1]));
        var flags = (NetlinkMessageFlags)BitConverter.ToUInt16(t.Sent[0], 6);
        Assert.True(flags.HasFlag(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack));
    }

    [Fact]
    public void StaleRepliesAndEventsAreSkipped()
    {
        using NetlinkSocket socket = Socket(sent => new[]
        {
            // An answer to an older request, and a multicast event (sequence 0), before the real ACK.
            Kernel.Concat(Kernel.Error(sent, 0, 17) is var old ? Renumber(old, SequenceAt(sent) - 5) : null!, LinkReply(0, 9, "event0")),
            Kernel.Ack(sent),
        }, out _);
        socket.Request(VethRequest());
    }

    private static byte[] Renumber(byte[] message, uint sequence)
    {
        BitConverter.TryWriteBytes(message.AsSpan(8), sequence);
        return message;
    }

    [Fact]
    public void ErrorCarriesErrnoKernelTextOperationAndTheBlamedAttribute()
    {
        // The peer's IFLA_NET_NS_FD header sits at offset 76 in this request (see the veth golden vector): 16 nlmsghdr,
        // 16 ifinfomsg, 8 IFLA_IFNAME, 4 IFLA_LINKINFO, 8+4 IFLA_INFO_KIND, 4 IFLA_INFO_DATA, 4+16 VETH_INFO_PEER.
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Error(sent, 0, 9, "Invalid netns fd", offset: 76) }, out _);
        NetlinkException e = Assert.Throws<NetlinkException>(() =>
            socket.Request(VethRequest(nsfd: 99), "RTM_NEWLINK veth va/vb", LinkMessages.FamilyHeaderSize));

        Assert.Equal(9, e.Errno);
        Assert.Equal("EBADF", e.ErrorName);
        Assert.Equal("Invalid netns fd", e.KernelMessage);
        Assert.Equal(76, e.ErrorOffset);
        // IFLA_LINKINFO(18) / IFLA_INFO_DATA(2) / VETH_INFO_PEER(1) / IFLA_NET_NS_FD(28)
        Assert.Equal(new ushort[] { 18, 2, 1, 28 }, e.AttributePath);
        Assert.Equal("RTM_NEWLINK veth va/vb: Bad file descriptor (EBADF): Invalid netns fd [attribute 18/2/1/28]", e.Message);
        Assert.Equal("RTM_NEWLINK other", e.WithOperation("RTM_NEWLINK other").Operation);
    }

    [Fact]
    public void DumpSpanningDatagramsIsReadInOrderAndInterruptionIsSurfaced()
    {
        using NetlinkSocket socket = Socket(sent =>
        {
            uint s = SequenceAt(sent);
            return new[]
            {
                Kernel.Concat(LinkReply(s, 1, "lo"), LinkReply(s, 2, "eth0")),
                Kernel.Concat(LinkReply(s, 3, "eth1", NetlinkMessageFlags.DumpInterrupted), Kernel.Done(s)),
            };
        }, out _);

        var names = new List<string>();
        bool interrupted;
        using (NetlinkReplyReader replies = socket.Exchange(DumpRequest()))
        {
            while (replies.MoveNext())
            {
                Assert.True(LinkMessages.TryReadIndexAndName(replies.Current, out _, out ReadOnlySpan<byte> name));
                names.Add(Encoding.UTF8.GetString(name));
            }

            interrupted = replies.Interrupted;
        }

        Assert.Equal(new[] { "lo", "eth0", "eth1" }, names);
        Assert.True(interrupted);
    }

    [Fact]
    public void DumpAllRetriesAnInterruptedDumpUpToTheLimit()
    {
        int attempts = 0;
        using NetlinkSocket socket = Socket(sent =>
        {
            uint s = SequenceAt(sent);
            attempts++;
            var flag = attempts < 3 ? NetlinkMessageFlags.DumpInterrupted : 0;
            return new[] { Kernel.Concat(LinkReply(s, 1, "lo", flag), Kernel.Done(s)) };
        }, out _);

        NetlinkDumpResult<Link> once = socket.DumpAll<Link>(DumpRequest(), Parse, maxRetries: 0);
        Assert.True(once.Interrupted);
        Assert.Equal(1, once.Attempts);

        NetlinkDumpResult<Link> retried = socket.DumpAll<Link>(DumpRequest(), Parse, maxRetries: 5);
        Assert.False(retried.Interrupted);
        Assert.Equal(2, retried.Attempts);
        Assert.Equal("lo", Assert.Single(retried.Items).Name);
    }

    private static bool Parse(NetlinkMessage m, out Link link)
    {
        link = LinkMessages.Parse(m);
        return true;
    }

    [Fact]
    public void DumpThatFailsPartWayThrowsWithTheKernelsText()
    {
        using NetlinkSocket socket = Socket(sent =>
        {
            uint s = SequenceAt(sent);
            return new[] { Kernel.Concat(LinkReply(s, 1, "lo"), Kernel.Done(s, -22, "Invalid dump filter")) };
        }, out _);

        NetlinkException e = Assert.Throws<NetlinkException>(() => socket.DumpAll<Link>(DumpRequest(), Parse, operation: "RTM_GETLINK dump"));
        Assert.Equal(22, e.Errno);
        Assert.Equal("Invalid dump filter", e.KernelMessage);
        Assert.Equal("RTM_GETLINK dump", e.Operation);
    }

    [Fact]
    public void PipelinedRequestsAreMatchedBySequenceWhateverTheOrderOfReplies()
    {
        using NetlinkSocket socket = Socket(sent =>
        {
            // Three messages in one datagram; the fake kernel answers them last-first, the middle one failing.
            int second = (BitConverter.ToInt32(sent, 0) + 3) & ~3;
            int third = second + ((BitConverter.ToInt32(sent, second) + 3) & ~3);
            return new[] { Kernel.Concat(Kernel.Ack(sent, third), Kernel.Error(sent, second, 17, "File exists"), Kernel.Ack(sent, 0)) };
        }, out FakeNetlinkTransport t);

        byte[] buffer = new byte[1024];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteCreateVeth(ref writer, "a0", "b0");
        LinkMessages.WriteCreateVeth(ref writer, "a1", "b1");
        LinkMessages.WriteCreateVeth(ref writer, "a2", "b2");
        var results = new NetlinkResult[3];
        int failures = socket.RequestMany(buffer.AsSpan(0, writer.Length), results, LinkMessages.FamilyHeaderSize);

        Assert.Single(t.Sent);
        Assert.Equal(1, failures);
        Assert.True(results[0].Succeeded);
        Assert.Equal(17, results[1].Error!.Errno);
        Assert.Equal("File exists", results[1].Error!.KernelMessage);
        Assert.True(results[2].Succeeded);
        Assert.Equal(new[] { results[0].Sequence + 1, results[0].Sequence + 2 }, new[] { results[1].Sequence, results[2].Sequence });
    }

    [Fact]
    public void OverrunOnAnEventStreamIsReportedAndTheStreamGoesOn()
    {
        using NetlinkSocket socket = Socket(_ => Array.Empty<byte[]>(), out FakeNetlinkTransport t);
        t.Queue(LinkReply(0, 5, "ev1"));
        t.Queue(null);
        t.Queue(LinkReply(0, 6, "ev2"));

        Assert.Single(Names(socket.ReceiveEvents(0)));
        Assert.Throws<NetlinkOverrunException>(() => socket.ReceiveEvents(0));
        Assert.Equal("ev2", Assert.Single(Names(socket.ReceiveEvents(0))));
        Assert.Empty(Names(socket.ReceiveEvents(0))); // timeout: an empty reader
    }

    private static List<string> Names(NetlinkReader reader)
    {
        var names = new List<string>();
        foreach (NetlinkMessage m in reader)
        {
            LinkMessages.TryReadIndexAndName(m, out _, out ReadOnlySpan<byte> name);
            names.Add(Encoding.UTF8.GetString(name));
        }

        return names;
    }

    [Fact]
    public void ReplyTimeoutRaisesTimeoutException()
    {
        using NetlinkSocket socket = Socket(_ => Array.Empty<byte[]>(), out _, new NetlinkSocketOptions { ReplyTimeout = TimeSpan.FromMilliseconds(1) });
        Assert.Throws<TimeoutException>(() => socket.Request(VethRequest()));
        // The failed exchange released the socket.
        Assert.Throws<TimeoutException>(() => socket.Request(VethRequest()));
    }

    [Fact]
    public void MalformedRequestBuffersAreRefusedBeforeSending()
    {
        using NetlinkSocket socket = Socket(_ => Array.Empty<byte[]>(), out FakeNetlinkTransport t);
        Assert.Throws<ArgumentException>(() => socket.Request(new byte[8]));
        byte[] bad = VethRequest();
        BitConverter.TryWriteBytes(bad.AsSpan(0), 4000);
        Assert.Throws<ArgumentException>(() => socket.Request(bad));
        Assert.Throws<ArgumentException>(() => socket.Request(Kernel.Concat(VethRequest(), VethRequest())));
        Assert.Empty(t.Sent);
    }
}

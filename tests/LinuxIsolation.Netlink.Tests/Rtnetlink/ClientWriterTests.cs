using System;
using System.Linq;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;
using static LinuxIsolation.Netlink.Tests.FakeNetlinkTransport;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>
/// Against a fake kernel: what <see cref="RtnetlinkClient"/> sends is exactly what the public message writers write
/// (one writer per message: the golden tests, the benchmarks and the libmnl comparison measure what is sent), and a
/// dump that stayed inconsistent says so to the caller of the list methods.
/// </summary>
public class ClientWriterTests
{
    [Fact]
    public void CreateVethSendsTheWritersBytesWithEchoAdded()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);

        // The fake kernel only acknowledges: no echo, and the lookup by name that follows gets no link back.
        Assert.Throws<NetlinkDecodeException>(() => client.CreateVeth("veth0", "eth0", NetworkNamespaceTarget.FromFileDescriptor(4)));

        byte[] expected = new byte[256];
        var writer = new NetlinkWriter(expected);
        LinkMessages.WriteCreateVeth(ref writer, "veth0", "eth0", NetworkNamespaceTarget.FromFileDescriptor(4));
        byte[] written = expected.AsSpan(0, writer.Length).ToArray();
        WithEchoAndSequence(written, t.Sent[0]);
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(t.Sent[0]));
    }

    [Fact]
    public void ChangesSendTheWritersBytes()
    {
        using NetlinkSocket socket = Socket(sent => new[] { Kernel.Ack(sent) }, out FakeNetlinkTransport t);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);
        client.SetLinkUp(7);
        client.SetLinkMtu(7, 1400);
        client.DeleteLink(7);

        byte[] buffer = new byte[64];
        Check(t.Sent[0], (ref NetlinkWriter w) => LinkMessages.WriteSetUp(ref w, 7, up: true));
        Check(t.Sent[1], (ref NetlinkWriter w) => LinkMessages.WriteSetMtu(ref w, 7, 1400));
        Check(t.Sent[2], (ref NetlinkWriter w) => LinkMessages.WriteDelete(ref w, 7));
    }

    [Fact]
    public void AnInterruptedDumpIsRepeatedAndTheLastFlagReachesTheCaller()
    {
        int dumps = 0;
        using NetlinkSocket socket = Socket(sent =>
        {
            dumps++;
            uint sequence = SequenceAt(sent);
            byte[] lo = Kernel.Message(16 /* RTM_NEWLINK */, NetlinkMessageFlags.Multi | NetlinkMessageFlags.DumpInterrupted, sequence,
                Kernel.Concat(new byte[16] { 0, 0, 4, 3, 1, 0, 0, 0, 0x49, 0, 1, 0, 0, 0, 0, 0 }, Kernel.Attribute(3 /* IFLA_IFNAME */, "lo\0"u8.ToArray())));
            return new[] { Kernel.Concat(lo, Kernel.Done(sequence)) };
        }, out _);
        using var client = new RtnetlinkClient(socket, ownsSocket: false);

        NetlinkDumpResult<Link> links = client.ListLinks(maxRetries: 2);
        Assert.True(links.Interrupted);
        Assert.Equal(3, links.Attempts);
        Assert.Equal(3, dumps);
        Assert.Equal("lo", Assert.Single(links).Name);
        Assert.Equal("lo", links[0].Name);
    }

    private delegate void Write(ref NetlinkWriter writer);

    private static void Check(byte[] sent, Write write)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkWriter(buffer);
        write(ref writer);
        byte[] written = buffer.AsSpan(0, writer.Length).ToArray();
        BitConverter.TryWriteBytes(written.AsSpan(8), SequenceAt(sent));
        Assert.Equal(Convert.ToHexString(written), Convert.ToHexString(sent));
    }

    /// <summary>Adds what the client adds to a creation request: <c>NLM_F_ECHO</c>, and the socket's sequence number.</summary>
    private static void WithEchoAndSequence(byte[] written, byte[] sent)
    {
        ushort flags = BitConverter.ToUInt16(written, 6);
        BitConverter.TryWriteBytes(written.AsSpan(6), (ushort)(flags | (ushort)NetlinkMessageFlags.Echo));
        BitConverter.TryWriteBytes(written.AsSpan(8), SequenceAt(sent));
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>The reader and the link decoder over datagrams captured from the kernel (Vectors/).</summary>
public class DecoderCaptureTests
{
    [Fact]
    public void CapturedLinkDumpDecodesToWhatIpPrinted()
    {
        // ip link show in a namespace with lo, br0 and five veth pairs; ip -j -d link show taken right after.
        var links = new List<Link>();
        bool done = false;
        foreach (byte[] datagram in TestVectors.LoadDatagrams("link-dump-reply.txt"))
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                Assert.Equal(1795951818u, message.Sequence);
                if (message.IsDone)
                {
                    done = true;
                    continue;
                }

                Assert.True((message.Flags & NetlinkMessageFlags.Multi) != 0);
                links.Add(LinkMessages.Parse(message));
            }
        }

        Assert.True(done);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestVectors.Directory, "link-dump-reply.json")));
        JsonElement[] expected = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(expected.Length, links.Count);
        Dictionary<int, string> names = links.ToDictionary(l => l.Index, l => l.Name);
        foreach ((JsonElement e, Link l) in expected.Zip(links))
        {
            Assert.Equal(e.GetProperty("ifindex").GetInt32(), l.Index);
            Assert.Equal(e.GetProperty("ifname").GetString(), l.Name);
            Assert.Equal(e.GetProperty("mtu").GetUInt32(), l.Mtu);
            Assert.Equal(e.GetProperty("address").GetString(), string.Join(':', l.Address!.GetAddressBytes().Select(b => b.ToString("x2"))));
            Assert.Equal(e.GetProperty("operstate").GetString(), l.OperationalState.ToString()!.ToUpperInvariant());
            Assert.Equal(e.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP"), l.IsUp);
            Assert.Equal(e.TryGetProperty("master", out JsonElement m) ? m.GetString() : null, l.MasterIndex is int mi ? names[mi] : null);
            string? kind = e.TryGetProperty("linkinfo", out JsonElement li) && li.TryGetProperty("info_kind", out JsonElement k) ? k.GetString() : null;
            Assert.Equal(kind, l.Kind);
            if (kind == "veth")
            {
                // The peer of a veth is reported through IFLA_LINK.
                Assert.Equal(e.GetProperty("link").GetString(), names[l.LinkIndex!.Value]);
            }
        }
    }

    [Fact]
    public void CapturedErrorWithExtendedAckDecodes()
    {
        // ip route add 10.50.0.0/16 via 10.99.0.1 with no route to the gateway.
        NetlinkMessage message = NetlinkReader.ReadSingle(TestVectors.Load("error-reply-extack.txt"));
        NetlinkErrorMessage error = message.GetError();
        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.Equal("Nexthop has invalid gateway", error.GetKernelMessage());
        Assert.Equal(24, error.Request.nlmsg_type); // RTM_NEWROUTE
        Assert.Equal(28, error.RequestPayload.Length); // echoed: the socket had no NETLINK_CAP_ACK
        NetlinkException e = error.ToException("RTM_NEWROUTE 10.50.0.0/16");
        Assert.Equal("RTM_NEWROUTE 10.50.0.0/16: Network is unreachable (ENETUNREACH): Nexthop has invalid gateway", e.Message);
    }

    [Fact]
    public void CapturedEnodevAndAckDecode()
    {
        NetlinkErrorMessage enodev = NetlinkReader.ReadSingle(TestVectors.Load("error-reply-enodev.txt")).GetError();
        Assert.Equal(Errno.ENODEV, enodev.Errno);
        Assert.Null(enodev.GetKernelMessage()); // the kernel gives no text for a missing device
        Assert.Equal(TestVectors.Load("error-request-enodev.txt").AsSpan(16).ToArray(), enodev.RequestPayload.ToArray());

        NetlinkErrorMessage ack = NetlinkReader.ReadSingle(TestVectors.Load("ack-reply.txt")).GetError();
        Assert.True(ack.IsAcknowledgement);
        Assert.True(ack.RequestPayload.IsEmpty); // NLM_F_CAPPED
    }
}

using System;
using System.Net;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: the public encoders pipelined through <see cref="NetlinkSocket.RequestMany"/> (one sendmsg).</summary>
public class PipelineTests
{
    [Fact]
    public void ContainerSideSetupInOneSendmsg()
    {
        using var host = TestNetworkNamespace.Create();
        using var container = TestNetworkNamespace.Create();
        using RtnetlinkClient hostClient = host.OpenClient();
        using RtnetlinkClient client = container.OpenClient();
        using (var handle = container.OpenHandle())
        {
            hostClient.CreateVeth("veth9", "eth0", handle);
        }

        int lo = client.GetLink("lo").Index;
        int eth0 = client.GetLink("eth0").Index;
        Span<byte> buffer = stackalloc byte[1024];
        var writer = new NetlinkWriter(buffer);
        LinkMessages.WriteSetUp(ref writer, lo, up: true);
        LinkMessages.WriteSetUp(ref writer, eth0, up: true);
        AddressMessages.WriteAdd(ref writer, eth0, IPAddress.Parse("10.201.0.4"), 24);
        RouteMessages.WriteAddDefault(ref writer, IPAddress.Parse("10.201.0.1"));
        AddressMessages.WriteAdd(ref writer, eth0, IPAddress.Parse("10.201.0.4"), 24);
        var results = new NetlinkResult[5];

        int failures = client.Socket.RequestMany(writer.WrittenSpan, results);

        // The default route's gateway is reachable once the address (earlier in the same batch) exists;
        // the repeated address fails on its own without affecting the others.
        Assert.Equal(1, failures);
        Assert.True(results[0].Succeeded && results[1].Succeeded && results[2].Succeeded && results[3].Succeeded);
        Assert.Equal(Errno.EEXIST, results[4].Error!.Errno);
        Assert.Equal("10.201.0.1", container.IpJson("-4 route show default")[0].GetProperty("gateway").GetString());
        Assert.Equal("10.201.0.4", container.IpJson("-4 addr show dev eth0")[0].GetProperty("addr_info")[0].GetProperty("local").GetString());
    }
}

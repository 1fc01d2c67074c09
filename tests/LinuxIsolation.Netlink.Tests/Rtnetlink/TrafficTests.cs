using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Rtnetlink;

/// <summary>Privileged: real packets through what the client built.</summary>
public class TrafficTests
{
    [Fact]
    public async Task VethPairWithAddressesOnBothEndsCarriesTcp()
    {
        using var a = TestNetworkNamespace.Create();
        using var b = TestNetworkNamespace.Create();
        using RtnetlinkClient clientA = a.OpenClient();
        using RtnetlinkClient clientB = b.OpenClient();
        Link end;
        using (var handle = b.OpenHandle())
        {
            end = clientA.CreateVeth("ta0", "tb0", handle);
        }

        Link peer = clientB.GetLink("tb0");
        clientA.AddAddress(end.Index, IPAddress.Parse("10.201.7.1"), 24);
        clientB.AddAddress(peer.Index, IPAddress.Parse("10.201.7.2"), 24);
        clientA.SetLinkUp(end.Index);
        clientB.SetLinkUp(peer.Index);
        clientB.SetLinkUp(clientB.GetLink("lo").Index);

        // Sockets stay in the namespace they were created in: create each inside its namespace, use it here.
        using Socket listener = b.Inside(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.Parse("10.201.7.2"), 0));
            s.Listen(1);
            return s;
        });
        using Socket connector = a.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

        Task<Socket> accepted = listener.AcceptAsync();
        await connector.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromSeconds(30));
        using Socket server = await accepted.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(IPAddress.Parse("10.201.7.1"), ((IPEndPoint)server.RemoteEndPoint!).Address);

        await connector.SendAsync("ping"u8.ToArray());
        byte[] buffer = new byte[4];
        int read = 0;
        while (read < 4)
        {
            read += await server.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal("ping"u8.ToArray(), buffer);
    }
}

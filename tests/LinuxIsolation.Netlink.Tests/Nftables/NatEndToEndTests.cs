using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Nftables;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Nftables;

/// <summary>
/// Privileged, end to end: three namespaces (client 10.201.0.2 — 10.201.0.1 router 192.0.2.1 — 192.0.2.2 server)
/// joined by veth pairs; the router's rules are installed through the API, and real TCP connections show the
/// translation. Traffic stays inside these namespaces.
/// </summary>
public sealed class NatEndToEndTests
{
    private sealed class World : IDisposable
    {
        public World(bool serverRouteBack)
        {
            Client = TestNetworkNamespace.Create();
            Router = TestNetworkNamespace.Create();
            Server = TestNetworkNamespace.Create();
            TestNetworkNamespace.Run("ip", $"link add c0 netns {Client.Name} type veth peer name r0 netns {Router.Name}");
            TestNetworkNamespace.Run("ip", $"link add s0 netns {Server.Name} type veth peer name r1 netns {Router.Name}");
            Client.Exec("ip addr add 10.201.0.2/24 dev c0");
            Client.Exec("ip link set c0 up");
            Client.Exec("ip link set lo up");
            Client.Exec("ip route add default via 10.201.0.1");
            Router.Exec("ip addr add 10.201.0.1/24 dev r0");
            Router.Exec("ip addr add 192.0.2.1/24 dev r1");
            Router.Exec("ip link set r0 up");
            Router.Exec("ip link set r1 up");
            Router.Exec("sysctl -qw net.ipv4.ip_forward=1");
            Server.Exec("ip addr add 192.0.2.2/24 dev s0");
            Server.Exec("ip link set s0 up");
            Server.Exec("ip link set lo up");
            if (serverRouteBack)
            {
                Server.Exec("ip route add 10.201.0.0/24 via 192.0.2.1");
            }
        }

        public TestNetworkNamespace Client { get; }

        public TestNetworkNamespace Router { get; }

        public TestNetworkNamespace Server { get; }

        public void Dispose()
        {
            Server.Dispose();
            Router.Dispose();
            Client.Dispose();
        }
    }

    /// <summary>Listens in the server namespace, connects from the client namespace, returns the address the server saw.</summary>
    private static async Task<IPEndPoint> ConnectThrough(World world, IPEndPoint listen, IPEndPoint target)
    {
        using TcpListener listener = world.Server.Inside(() =>
        {
            var l = new TcpListener(listen);
            l.Start();
            return l;
        });
        using Socket client = world.Client.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task<Socket> accepted = listener.AcceptSocketAsync(timeout.Token).AsTask();
        await client.ConnectAsync(target, timeout.Token);
        using Socket server = await accepted;
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None, timeout.Token);
        byte[] buffer = new byte[4];
        int read = await server.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        return (IPEndPoint)server.RemoteEndPoint!;
    }

    [Fact]
    public async Task MasqueradedConnectionArrivesFromTheRoutersAddress()
    {
        using var world = new World(serverRouteBack: false);
        using NftablesClient router = world.Router.Inside(() => NftablesClient.Open());
        new NftNatBackend(router).Apply(new NatRuleset("e2e")
        {
            Masquerades = [new NatMasquerade("10.201.0.0/24", ["r1"])],
            ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
        });

        IPEndPoint seen = await ConnectThrough(world, new IPEndPoint(IPAddress.Parse("192.0.2.2"), 7001), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 7001));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), seen.Address);
    }

    [Fact]
    public async Task PublishedPortReachesTheServer()
    {
        using var world = new World(serverRouteBack: true);
        var target = new IPEndPoint(IPAddress.Parse("10.201.0.1"), 8080);

        // Before the rule: the router itself answers and refuses the port.
        using (Socket probe = world.Client.Inside(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)))
        {
            SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(target));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        using NftablesClient router = world.Router.Inside(() => NftablesClient.Open());
        new NftNatBackend(router, NftFamily.IPv4).Apply(new NatRuleset("e2e")
        {
            PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("192.0.2.2"), 80)],
        });

        IPEndPoint seen = await ConnectThrough(world, new IPEndPoint(IPAddress.Parse("192.0.2.2"), 80), target);
        Assert.Equal(IPAddress.Parse("10.201.0.2"), seen.Address);
    }
}

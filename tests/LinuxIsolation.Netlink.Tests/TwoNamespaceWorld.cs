using System;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>
/// Two throwaway network namespaces joined by a veth pair (eth0 in each; 10.231.0.1/24 in A, 10.231.0.2/24 in B), for
/// privileged tests that need real traffic. Sockets are opened inside a namespace and then used from the test thread.
/// </summary>
internal sealed class TwoNamespaceWorld : IDisposable
{
    public static readonly IPAddress AddressA = IPAddress.Parse("10.231.0.1");
    public static readonly IPAddress AddressB = IPAddress.Parse("10.231.0.2");

    private TwoNamespaceWorld(TestNetworkNamespace a, TestNetworkNamespace b, RtnetlinkClient clientA, Link ethA)
    {
        A = a;
        B = b;
        ClientA = clientA;
        EthA = ethA;
    }

    public TestNetworkNamespace A { get; }

    public TestNetworkNamespace B { get; }

    /// <summary>An rtnetlink client in A.</summary>
    public RtnetlinkClient ClientA { get; }

    /// <summary>A's end of the veth.</summary>
    public Link EthA { get; }

    public static TwoNamespaceWorld Create()
    {
        TestNetworkNamespace a = TestNetworkNamespace.Create();
        TestNetworkNamespace? b = null;
        RtnetlinkClient? client = null;
        try
        {
            b = TestNetworkNamespace.Create();
            client = a.OpenClient();
            using (var handle = b.OpenHandle())
            {
                client.CreateVeth("eth0", "eth0", NetworkNamespaceTarget.FromHandle(handle));
            }

            Link eth = client.GetLink("eth0");
            client.AddAddress(eth.Index, AddressA, 24);
            client.SetLinkUp(eth.Index);
            client.SetLinkUp("lo");
            b.Exec("ip addr add 10.231.0.2/24 dev eth0");
            b.Exec("ip link set eth0 up");
            b.Exec("ip link set lo up");
            return new TwoNamespaceWorld(a, b, client, eth);
        }
        catch
        {
            client?.Dispose();
            b?.Dispose();
            a.Dispose();
            throw;
        }
    }

    /// <summary>A UDP socket inside <paramref name="ns"/>, bound to <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static Socket Udp(TestNetworkNamespace ns, IPAddress address, int port) => ns.Inside(() =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(address, port));
        return socket;
    });

    /// <summary>
    /// One UDP exchange from A (source port <paramref name="sourcePort"/>) to B's <paramref name="port"/> and back, so
    /// that conntrack in A sees the original and the reply direction.
    /// </summary>
    public void UdpExchange(int sourcePort, int port)
    {
        using Socket server = Udp(B, AddressB, port);
        using Socket client = Udp(A, AddressA, sourcePort);
        client.SendTo("ping"u8.ToArray(), new IPEndPoint(AddressB, port));
        byte[] buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        int n = server.ReceiveFrom(buffer, ref from);
        server.SendTo(buffer.AsSpan(0, n).ToArray(), from);
        Assert(client.Receive(buffer) == n, "the reply did not come back");
    }

    /// <summary>Runs <c>tc -s -j ARGS</c> inside A.</summary>
    public JsonElement TcJson(TestNetworkNamespace ns, string arguments)
    {
        string output = ns.Exec("tc -s -j " + arguments);
        using var document = JsonDocument.Parse(output.Trim().Length == 0 ? "[]" : output);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        ClientA.Dispose();
        B.Dispose();
        A.Dispose();
    }

    private static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}

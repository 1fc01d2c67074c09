using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Conntrack;
using Xunit;

namespace LinuxIsolation.Netlink.Tests.Conntrack;

/// <summary>
/// Privileged: the conntrack table of a namespace against the kernel, each test in its own pair of namespaces with real
/// UDP between them, checked with Debian's <c>conntrack</c> run inside the namespace. A fresh namespace tracks nothing
/// until something there uses connection tracking: each test loads an nf_tables output hook with a <c>ct</c> expression
/// in A (<c>nft -f</c>), after which A's UDP flows show up in A's table.
/// </summary>
public class ConntrackTests
{
    private const string TrackingRuleset = "table inet lxi_ct_test {\n chain out {\n  type filter hook output priority 0;\n  ct state new counter\n }\n}";

    private static TwoNamespaceWorld Setup()
    {
        RequireTool("conntrack", "conntrack");
        RequireTool("nft", "nftables");
        TwoNamespaceWorld world = TwoNamespaceWorld.Create();
        try
        {
            string file = Path.Combine(Path.GetTempPath(), $"lxi-ct-{Environment.ProcessId}-{Guid.NewGuid():N}.nft");
            File.WriteAllText(file, TrackingRuleset + "\n");
            try
            {
                world.A.Exec($"nft -f {file}");
            }
            finally
            {
                File.Delete(file);
            }

            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>A tool the test checks with; missing, the test fails (under CI and elsewhere) naming the package to install.</summary>
    private static void RequireTool(string tool, string package)
    {
        if (!new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Any(d => File.Exists(Path.Combine(d, tool))))
        {
            Assert.Fail($"This test checks with '{tool}': apt-get install -y {package} (tests/run installs it).");
        }
    }

    private static ConntrackClient OpenClient(TestNetworkNamespace ns) => ns.Inside(() => ConntrackClient.Open());

    /// <summary><c>conntrack -L -p udp</c> inside the namespace: the source and destination ports of each original tuple.</summary>
    private static List<(int Sport, int Dport)> ConntrackToolUdp(TestNetworkNamespace ns)
    {
        var flows = new List<(int, int)>();
        foreach (string line in ns.Exec("conntrack -L -p udp").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? sport = t.FirstOrDefault(x => x.StartsWith("sport=", StringComparison.Ordinal));
            string? dport = t.FirstOrDefault(x => x.StartsWith("dport=", StringComparison.Ordinal));
            if (sport is not null && dport is not null)
            {
                flows.Add((int.Parse(sport[6..]), int.Parse(dport[6..])));
            }
        }

        return flows;
    }

    private static ConntrackTuple Flow(int sourcePort, int port) =>
        ConntrackTuple.Udp(TwoNamespaceWorld.AddressA, (ushort)sourcePort, TwoNamespaceWorld.AddressB, (ushort)port);

    [Fact]
    public void ListGetAndDeleteEntriesOfRealTraffic()
    {
        using TwoNamespaceWorld world = Setup();
        using ConntrackClient client = OpenClient(world.A);
        world.UdpExchange(40001, 5301);
        world.UdpExchange(40002, 5302);

        Assert.Contains((40001, 5301), ConntrackToolUdp(world.A));
        Assert.Contains((40002, 5302), ConntrackToolUdp(world.A));
        NetlinkDumpResult<ConntrackEntry> listed = client.ListEntries();
        Assert.False(listed.Interrupted);
        Assert.Equal(1, listed.Attempts);
        ConntrackEntry first = Assert.Single(listed, e => e.Original == Flow(40001, 5301));
        Assert.Equal(AddressFamily.InterNetwork, first.Family);
        Assert.Equal(ProtocolType.Udp, first.Protocol);
        Assert.Equal(ConntrackTuple.Udp(TwoNamespaceWorld.AddressB, 5301, TwoNamespaceWorld.AddressA, 40001), first.Reply);
        Assert.True((first.Status & ConntrackStatus.SeenReply) != 0);
        Assert.True((first.Status & ConntrackStatus.Confirmed) != 0);
        Assert.Equal(0u, first.Mark);
        Assert.NotNull(first.Id);

        // B's table is its own: nothing there uses conntrack.
        using (ConntrackClient inB = OpenClient(world.B))
        {
            Assert.Empty(inB.ListEntries());
        }

        // conntrack -G: the one entry, asked of the kernel by its tuple.
        ConntrackEntry? got = client.GetEntry(Flow(40002, 5302));
        Assert.NotNull(got);
        Assert.Equal(Flow(40002, 5302), got!.Original);
        Assert.Null(client.GetEntry(Flow(40009, 5309)));

        // conntrack -D: gone for the tool too; a second delete finds nothing.
        Assert.True(client.DeleteEntry(Flow(40001, 5301)));
        Assert.DoesNotContain((40001, 5301), ConntrackToolUdp(world.A));
        Assert.Contains((40002, 5302), ConntrackToolUdp(world.A));
        Assert.False(client.DeleteEntry(Flow(40001, 5301)));
        Assert.Null(client.GetEntry(Flow(40001, 5301)));

        // A filtered listing: the kernel's CTA_FILTER and the client's check agree with the tool.
        Assert.Equal(Flow(40002, 5302), Assert.Single(client.ListEntries(new ConntrackFilter { Protocol = ProtocolType.Udp, OriginalDestinationPort = 5302 })).Original);
    }

    [Fact]
    public void FlushByPublishedPortByFamilyAndAll()
    {
        using TwoNamespaceWorld world = Setup();
        using ConntrackClient client = OpenClient(world.A);
        world.UdpExchange(41001, 53);
        world.UdpExchange(41002, 53);
        world.UdpExchange(41003, 54);

        // An IPv6 entry and a marked one in zone 7, inserted with the tool.
        world.A.Exec("conntrack -I -p udp -s fd00::1 -d fd00::2 --sport 41004 --dport 53 -t 600 -u SEEN_REPLY");
        world.A.Exec("conntrack -I -p udp -s 10.231.0.1 -d 10.231.0.2 --sport 41005 --dport 55 -t 600 -u SEEN_REPLY -m 0x10 -w 7");

        // What the CNI portmap plugin does when a UDP mapping changes: every IPv4 entry to port 53, in one request here.
        Assert.Null(client.Flush(ConntrackFilter.ForPublishedPort(ProtocolType.Udp, 53, family: AddressFamily.InterNetwork)));
        List<(int Sport, int Dport)> left = ConntrackToolUdp(world.A);
        Assert.DoesNotContain((41001, 53), left);
        Assert.DoesNotContain((41002, 53), left);
        Assert.Contains((41003, 54), left);
        Assert.Contains((41004, 53), left);
        Assert.Contains((41005, 55), left);

        // A kernel too old to filter a flush by zone: the client lists and deletes one by one, and says how many.
        client.KernelVersion = new Version(6, 1);
        Assert.Equal(1, client.Flush(new ConntrackFilter { Zone = 7 }));
        Assert.DoesNotContain((41005, 55), ConntrackToolUdp(world.A));
        client.KernelVersion = Environment.OSVersion.Version;

        // conntrack -F -f ipv6, but only IPv6 (NFNETLINK_V1).
        client.Flush(AddressFamily.InterNetworkV6);
        left = ConntrackToolUdp(world.A);
        Assert.DoesNotContain((41004, 53), left);
        Assert.Contains((41003, 54), left);

        // conntrack -F
        client.Flush();
        Assert.Empty(ConntrackToolUdp(world.A));
        Assert.Empty(client.ListEntries());
    }

    [Fact]
    public async Task TheMonitorSeesNewAndDestroyOfRealTraffic()
    {
        using TwoNamespaceWorld world = Setup();
        using ConntrackClient client = OpenClient(world.A);
        using ConntrackMonitor monitor = world.A.Inside(() => ConntrackMonitor.Open(ConntrackEventGroups.New | ConntrackEventGroups.Destroy));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        world.UdpExchange(42001, 5401);
        ConntrackEvent created = await NextFor(monitor, Flow(42001, 5401), timeout.Token);
        Assert.Equal(ConntrackEventKind.New, created.Kind);

        // Deleted by the tool: the destroy event carries the same tuple.
        world.A.Exec("conntrack -D -p udp -s 10.231.0.1 -d 10.231.0.2 --sport 42001 --dport 5401");
        ConntrackEvent destroyed = await NextFor(monitor, Flow(42001, 5401), timeout.Token);
        Assert.Equal(ConntrackEventKind.Destroy, destroyed.Kind);

        // And by the client.
        world.UdpExchange(42002, 5402);
        Assert.Equal(ConntrackEventKind.New, (await NextFor(monitor, Flow(42002, 5402), timeout.Token)).Kind);
        Assert.True(client.DeleteEntry(Flow(42002, 5402)));
        Assert.Equal(ConntrackEventKind.Destroy, (await NextFor(monitor, Flow(42002, 5402), timeout.Token)).Kind);
    }

    [Fact]
    public async Task AnOverrunIsReportedAndTheMonitorGoesOn()
    {
        // A consumer that does not read (one buffered event) and an 8 KiB socket buffer: 300 new connections overflow
        // the socket, whose ENOBUFS the monitor reports as an Overrun event before it goes on.
        using TwoNamespaceWorld world = Setup();
        NetlinkSocket socket = world.A.Inside(() => NetlinkSocket.Open(NetlinkProtocol.Netfilter, new NetlinkSocketOptions { SocketReceiveBufferSize = 4096 }));
        using var monitor = new ConntrackMonitor(socket, ConntrackEventGroups.New, ownsSocket: true, capacity: 1);
        using (Socket sender = TwoNamespaceWorld.Udp(world.A, TwoNamespaceWorld.AddressA, 43000))
        {
            for (int port = 6000; port < 6300; port++)
            {
                sender.SendTo("x"u8.ToArray(), new IPEndPoint(TwoNamespaceWorld.AddressB, port));
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        // Whether some events come before it depends on when the reader thread got to the socket; fewer than the 300 do.
        int before = 0;
        while ((await monitor.ReadAsync(timeout.Token)).Kind != ConntrackEventKind.Overrun)
        {
            before++;
        }

        Assert.InRange(before, 0, 299);

        // The kernel reports one ENOBUFS per congestion: what it drops until the socket's queue has drained is covered by
        // that Overrun. Once the monitor has read the queue empty, new connections are reported again.
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 20, "no event came through after the overrun");
            ConntrackTuple flow = Flow(43001 + attempt, 7001);
            world.UdpExchange(43001 + attempt, 7001);
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
            try
            {
                ConntrackEvent e;
                do
                {
                    e = await monitor.ReadAsync(quiet.Token);
                }
                while (e.Entry?.Original != flow);

                Assert.Equal(ConntrackEventKind.New, e.Kind);
                break;
            }
            catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
            {
                // Dropped in the congestion: try a new connection.
            }
        }
    }

    /// <summary>The next event about <paramref name="tuple"/> (others, e.g. of B's replies' ICMP, are passed over); an overrun fails the test.</summary>
    private static async Task<ConntrackEvent> NextFor(ConntrackMonitor monitor, ConntrackTuple tuple, CancellationToken cancellationToken)
    {
        while (true)
        {
            ConntrackEvent e = await monitor.ReadAsync(cancellationToken);
            Assert.NotEqual(ConntrackEventKind.Overrun, e.Kind);
            if (e.Entry?.Original == tuple)
            {
                return e;
            }
        }
    }
}

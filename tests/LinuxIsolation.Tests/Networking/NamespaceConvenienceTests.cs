using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Networking;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Networking;

/// <summary>
/// Privileged: the namespace object where rtnetlink wants one, a named namespace's deletion through the object, NAT
/// in one call, and the reachability probes, checked with iproute2, nft and real listeners.
/// </summary>
public class NamespaceConvenienceTests
{
    [Fact]
    public void DeleteOnDisposeRemovesTheNameAndDeleteIsIdempotent()
    {
        Privileged.Require();
        string kept = NsTool.UniqueName("keep");
        string dropped = NsTool.UniqueName("drop");
        try
        {
            using (NetworkNamespace ns = NetworkNamespace.CreateNamed(dropped, deleteOnDispose: true, out RtnetlinkClient rt))
            {
                using (rt)
                {
                    Assert.True(ns.DeleteOnDispose);
                    Assert.Contains(dropped, NsTool.IpNetnsList());
                }
            }

            Assert.DoesNotContain(dropped, NsTool.IpNetnsList());
            using (NetworkNamespace ns = NetworkNamespace.CreateNamed(dropped, deleteOnDispose: true))
            {
                Assert.Contains(dropped, NsTool.IpNetnsList());
            }

            Assert.DoesNotContain(dropped, NsTool.IpNetnsList());

            using (NetworkNamespace ns = NetworkNamespace.CreateNamed(kept))
            {
                Assert.False(ns.DeleteOnDispose);
            }

            Assert.Contains(kept, NsTool.IpNetnsList());
            using (NetworkNamespace ns = NetworkNamespace.Open(kept))
            {
                ns.Delete();
                Assert.DoesNotContain(kept, NsTool.IpNetnsList());
                ns.Delete();

                // The namespace itself lives on while this handle holds it.
                using RtnetlinkClient inside = ns.OpenRtnetlink();
                Assert.Equal("lo", Assert.Single(inside.ListLinks()).Name);
            }

            using NetworkNamespace anonymous = NetworkNamespace.CreateAnonymous();
            Assert.Throws<InvalidOperationException>(() => anonymous.Delete());
        }
        finally
        {
            NsTool.DeleteNamespaceIfPresent(kept);
            NsTool.DeleteNamespaceIfPresent(dropped);
        }
    }

    [Fact]
    public void TheNamespaceObjectIsATargetForVethAndMoves()
    {
        Privileged.Require();
        using NetworkNamespace host = NetworkNamespace.CreateAnonymous(out RtnetlinkClient rt);
        using NetworkNamespace container = NetworkNamespace.CreateAnonymous(out RtnetlinkClient inside);
        using (rt)
        using (inside)
        {
            rt.CreateVeth("h1", "eth0", container);
            Assert.True(inside.TryGetLink("eth0", out Link? eth0));
            Assert.Equal("veth", eth0.Kind);

            rt.CreateVethPair("m1", "m2");
            rt.MoveLinkToNamespace("m2", container);
            Assert.True(inside.TryGetLink("m2", out _));
            Assert.False(rt.TryGetLink("m2", out _));

            container.Dispose();
            Assert.Throws<ObjectDisposedException>(() => rt.MoveLinkToNamespace("m1", container));
        }
    }

    [Fact]
    public void NatInOneCallAndTheProbesSeeItWork()
    {
        Privileged.Require();
        // client (10.88.0.2) -- router (10.88.0.1 | 10.89.0.1) -- server (10.89.0.2), each end with a default route via the router.
        using NetworkNamespace router = NetworkNamespace.CreateAnonymous(out RtnetlinkClient rt);
        using NetworkNamespace client = NetworkNamespace.CreateAnonymous(out RtnetlinkClient rc);
        using NetworkNamespace server = NetworkNamespace.CreateAnonymous(out RtnetlinkClient rs);
        using (rt)
        using (rc)
        using (rs)
        {
            client.AddVethPeer(rt, new VethPeerOptions
            {
                HostName = "r-c",
                PeerName = "eth0",
                PeerAddresses = [new VethAddress(IPAddress.Parse("10.88.0.2"), 24)],
                Gateway = IPAddress.Parse("10.88.0.1"),
            });
            server.AddVethPeer(rt, new VethPeerOptions
            {
                HostName = "r-s",
                PeerName = "eth0",
                PeerAddresses = [new VethAddress(IPAddress.Parse("10.89.0.2"), 24)],
                Gateway = IPAddress.Parse("10.89.0.1"),
            });
            rt.AddAddress("r-c", IPAddress.Parse("10.88.0.1"), 24);
            rt.AddAddress("r-s", IPAddress.Parse("10.89.0.1"), 24);
            rt.SetLinkUp("lo");
            router.WriteSysctl("net.ipv4.ip_forward", "1");
            IPAddress serverAddress = IPAddress.Parse("10.89.0.2");

            // Plain routing first; a destination the router has no route for is answered with ICMP "network unreachable".
            Assert.Equal(ProbeOutcome.Reachable, client.Ping(serverAddress, TimeSpan.FromSeconds(2)).Outcome);
            ProbeResult noRoute = server.Ping(IPAddress.Parse("10.77.0.1"), TimeSpan.FromSeconds(2));
            Assert.Equal(ProbeOutcome.Unreachable, noRoute.Outcome);
            Assert.Equal(IPAddress.Parse("10.89.0.1"), noRoute.RespondedBy);
            Assert.Contains("destination unreachable", noRoute.Detail, StringComparison.Ordinal);

            // A forward chain holding only a policy forwards nothing.
            router.ApplyNat(new NatRuleset("lxiprobe") { ForwardPolicy = NftVerdictCode.Drop });
            Assert.Equal(ProbeOutcome.TimedOut, client.Ping(serverAddress, TimeSpan.FromMilliseconds(300)).Outcome);

            // Replaced by masquerade + a published port + accepts for the client's network, the policy still drop.
            router.ApplyNat(new NatRuleset("lxiprobe")
            {
                Masquerades = [new NatMasquerade("10.88.0.0/24")],
                PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("10.88.0.2"), 80)],
                ForwardAccepts = [NatForwardAccept.ForPrefix("10.88.0.0/24")],
                ForwardPolicy = NftVerdictCode.Drop,
            });
            string listed = Inside(router, "nft list table inet lxiprobe");
            Assert.Contains("policy drop", listed, StringComparison.Ordinal);
            Assert.Contains("masquerade", listed, StringComparison.Ordinal);

            ProbeResult ping = client.Ping(serverAddress, TimeSpan.FromSeconds(2));
            Assert.True(ping.Succeeded, ping.ToString());
            Assert.Equal(serverAddress, ping.RespondedBy);
            Assert.True(ping.Elapsed > TimeSpan.Zero);

            // The server sees the client's connection come from the router (masquerade).
            using (Socket listener = server.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                listener.Bind(new IPEndPoint(IPAddress.Any, 80));
                listener.Listen();
                Assert.Equal(ProbeOutcome.Reachable, client.ConnectTcp(new IPEndPoint(serverAddress, 80), TimeSpan.FromSeconds(2)).Outcome);
                using Socket accepted = listener.Accept();
                Assert.Equal(IPAddress.Parse("10.89.0.1"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
            }

            // The published port reaches a listener in the client; nothing listens on 81.
            using (Socket listener = client.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                listener.Bind(new IPEndPoint(IPAddress.Any, 80));
                listener.Listen();
                ProbeResult published = server.ConnectTcp(new IPEndPoint(IPAddress.Parse("10.89.0.1"), 8080), TimeSpan.FromSeconds(2));
                Assert.Equal(ProbeOutcome.Reachable, published.Outcome);
                using Socket accepted = listener.Accept();
                Assert.Equal(serverAddress, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
            }

            ProbeResult refused = client.ConnectTcp(new IPEndPoint(serverAddress, 81), TimeSpan.FromSeconds(2));
            Assert.Equal(ProbeOutcome.Refused, refused.Outcome);
            Assert.Equal(serverAddress, refused.RespondedBy);
            ProbeResult v6 = client.ConnectTcp(new IPEndPoint(IPAddress.Parse("fd00:99::1"), 80), TimeSpan.FromSeconds(2));
            Assert.Equal(ProbeOutcome.Unreachable, v6.Outcome);
            Assert.Equal(nameof(SocketError.NetworkUnreachable), v6.Detail);

            router.RemoveNat("lxiprobe");
            router.RemoveNat("lxiprobe");
            Assert.DoesNotContain("lxiprobe", Inside(router, "nft list tables"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PingOverIpv6AndCancellation()
    {
        Privileged.Require();
        using NetworkNamespace a = NetworkNamespace.CreateAnonymous(out RtnetlinkClient ra);
        using NetworkNamespace b = NetworkNamespace.CreateAnonymous(out RtnetlinkClient rb);
        using (ra)
        using (rb)
        {
            b.AddVethPeer(ra, new VethPeerOptions { HostName = "a0", PeerName = "b0", PeerAddresses = [new VethAddress(IPAddress.Parse("fd00:42::2"), 64)] });
            ra.AddAddress("a0", IPAddress.Parse("fd00:42::1"), 64, new AddressOptions { Flags = AddressFlags.NoDad });
            ra.SetLinkUp("lo");

            // b's address may still be in duplicate address detection for a moment.
            ProbeResult result = a.Ping(IPAddress.Parse("fd00:42::2"), TimeSpan.FromSeconds(3));
            for (int i = 0; i < 20 && !result.Succeeded; i++)
            {
                Thread.Sleep(100);
                result = a.Ping(IPAddress.Parse("fd00:42::2"), TimeSpan.FromSeconds(1));
            }

            Assert.True(result.Succeeded, result.ToString());
            Assert.Equal(IPAddress.Parse("fd00:42::2"), result.RespondedBy);
            Assert.Equal(ProbeOutcome.Reachable, a.Ping(IPAddress.IPv6Loopback, TimeSpan.FromSeconds(1)).Outcome);
            Assert.Equal(ProbeOutcome.Unreachable, a.Ping(IPAddress.Parse("fd00:43::1"), TimeSpan.FromSeconds(1)).Outcome);

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Task<ProbeResult> waiting = a.PingAsync(IPAddress.Parse("fd00:42::99"), TimeSpan.FromSeconds(30), cancel.Token);
            Assert.ThrowsAny<OperationCanceledException>(() => waiting.GetAwaiter().GetResult());
        }
    }

    [Fact]
    public void ProbeArgumentsAreChecked()
    {
        Privileged.Require();
        using NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        Assert.Throws<ArgumentOutOfRangeException>(() => ns.Ping(IPAddress.Loopback, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ns.ConnectTcp(new IPEndPoint(IPAddress.Loopback, 1), TimeSpan.FromDays(2)));
        Assert.Throws<ArgumentNullException>(() => ns.Ping(null!, TimeSpan.FromSeconds(1)));
    }

    private static string Inside(NetworkNamespace ns, string command)
    {
        // nft inside an anonymous namespace: nsenter onto the namespace file of this process's descriptor.
        string path = $"/proc/{Environment.ProcessId}/fd/{ns.Handle.FileDescriptor.DangerousGetHandle()}";
        string[] words = command.Split(' ');
        return NsTool.Run("nsenter", [$"--net={path}", .. words]);
    }
}

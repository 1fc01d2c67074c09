using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Net.Sockets;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace SeedNetwork;

/// <summary>
/// Sections 2 to 4 of the seed walkthrough (named network namespaces, a veth pair, a bridge with two
/// "containers" that reach each other, masquerade to the outside and a published port) through the
/// LinuxIsolation API, with no <c>ip</c>, <c>sysctl</c>, <c>iptables</c> or <c>nft</c> binary involved.
/// Everything happens inside throwaway namespaces: a named namespace plays "the host" and another "the outside
/// world", so the machine's own network is never touched. Each step prints the command of the walkthrough it replaces. Everything is
/// removed at the end, also after an error or Ctrl+C.
/// </summary>
internal static class Program
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static int Main(string[] args)
    {
        string prefix = args.Length > 0 ? args[0] : "lxi-";
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        var world = new World(prefix);
        try
        {
            Section2(world, cancel.Token);
            Section3(world, cancel.Token);
            Section4(world, cancel.Token);
            Console.WriteLine();
            Console.WriteLine("All connectivity checks passed.");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine();
            Console.WriteLine("Interrupted: cleaning up.");
            return 130;
        }
        catch (Exception e)
        {
            Console.WriteLine();
            Console.WriteLine($"FAILED: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        finally
        {
            world.Dispose();
        }
    }

    private static void Section2(World world, CancellationToken cancel)
    {
        Heading("2. Network namespaces");
        NetworkNamespace host = world.Namespace("host", "plays the walkthrough's default namespace, so the real one is left alone");

        Step(cancel, "ip netns add direct_netns");
        NetworkNamespace direct = world.Namespace("direct_netns");
        Step(cancel, "ip netns list");
        Result(string.Join(" ", NetworkNamespace.List().Where(n => n.StartsWith(world.Prefix, StringComparison.Ordinal))));

        using RtnetlinkClient directRt = direct.OpenRtnetlink();
        Step(cancel, "ip netns exec direct_netns ip --br link");
        Result(Brief(directRt.GetLink("lo")));
        Step(cancel, "ip netns exec direct_netns ip link set lo up");
        directRt.SetLinkUp("lo");
        Result(Brief(directRt.GetLink("lo")) + "   (UNKNOWN is lo's working state)");

        using RtnetlinkClient hostRt = host.OpenRtnetlink();
        Step(cancel, "ip link add veth0 type veth peer name veth1 ; ip link set veth1 netns direct_netns");
        Link veth0 = hostRt.CreateVeth("veth0", "veth1", direct);
        Result($"veth0 (index {veth0.Index}) in the host; its peer veth1 was created directly inside direct_netns (one request, no move)");

        Step(cancel, "ip addr add 10.200.1.1/24 dev veth0 ; ip netns exec direct_netns ip addr add 10.200.1.2/24 dev veth1");
        hostRt.AddAddress("veth0", IPAddress.Parse("10.200.1.1"), 24);
        directRt.AddAddress("veth1", IPAddress.Parse("10.200.1.2"), 24);
        Step(cancel, "ip link set veth0 up ; ip netns exec direct_netns ip link set veth1 up");
        hostRt.SetLinkUp("veth0");
        directRt.SetLinkUp("veth1");
        Result(Brief(hostRt.GetLink("veth0")) + " | " + Brief(directRt.GetLink("veth1")));

        Step(cancel, "ping 10.200.1.2   (from the host)");
        Result(Probe.Ping(host, IPAddress.Parse("10.200.1.2"), Timeout));
        Step(cancel, "ip netns exec direct_netns ping 10.200.1.1");
        Result(Probe.Ping(direct, IPAddress.Parse("10.200.1.1"), Timeout));
    }

    private static void Section3(World world, CancellationToken cancel)
    {
        Heading("3. A bridge with two containers");
        NetworkNamespace host = world.Get("host");
        using RtnetlinkClient hostRt = host.OpenRtnetlink();

        Step(cancel, "ip link add br0 type bridge ; ip link set br0 up");
        hostRt.CreateBridge("br0");
        hostRt.SetLinkUp("br0");
        Step(cancel, "ip addr add 10.201.0.1/24 dev br0   (so the host reaches the containers; implicit in the note)");
        hostRt.AddAddress("br0", IPAddress.Parse("10.201.0.1"), 24);

        foreach (int n in new[] { 4, 5 })
        {
            string container = $"container{n}";
            Step(cancel, $"ip netns add {container}");
            NetworkNamespace ns = world.Namespace(container);
            using RtnetlinkClient rt = ns.OpenRtnetlink();

            Step(cancel, $"ip link add brid{n} type veth peer name veth{n} ; ip link set veth{n} netns {container}");
            hostRt.CreateVeth($"brid{n}", $"veth{n}", ns);
            Step(cancel, $"ip netns exec {container} ip a add 10.201.0.{n}/24 dev veth{n}");
            rt.AddAddress($"veth{n}", IPAddress.Parse($"10.201.0.{n}"), 24);
            Step(cancel, $"ip netns exec {container} ip link set dev lo up ; ip netns exec {container} ip link set dev veth{n} up");
            rt.SetLinkUp("lo");
            rt.SetLinkUp($"veth{n}");
            Step(cancel, $"ip link set brid{n} master br0 ; ip link set dev brid{n} up");
            hostRt.SetLinkMaster($"brid{n}", "br0");
            hostRt.SetLinkUp($"brid{n}");
            Result($"{Brief(hostRt.GetLink($"brid{n}"))} master br0 | {container}: {Brief(rt.GetLink($"veth{n}"))} 10.201.0.{n}/24");
        }

        NetworkNamespace c4 = world.Get("container4");
        NetworkNamespace c5 = world.Get("container5");
        Step(cancel, "ip netns exec container4 ping 10.201.0.5");
        Result(Probe.Ping(c4, IPAddress.Parse("10.201.0.5"), Timeout));
        Step(cancel, "ip netns exec container5 ping 10.201.0.4");
        Result(Probe.Ping(c5, IPAddress.Parse("10.201.0.4"), Timeout));
        Step(cancel, "TCP from container4 to a listener on 10.201.0.5:8080 in container5");
        Result($"connected; the server saw the client as {Probe.Tcp(c4, c5, IPAddress.Parse("10.201.0.5"), 8080, Timeout)}");
        foreach (int n in new[] { 4, 5 })
        {
            Step(cancel, $"ping 10.201.0.{n}   (from the host, through br0)");
            Result(Probe.Ping(host, IPAddress.Parse($"10.201.0.{n}"), Timeout));
        }
    }

    private static void Section4(World world, CancellationToken cancel)
    {
        Heading("4. NAT to the outside");
        NetworkNamespace host = world.Get("host");
        using RtnetlinkClient hostRt = host.OpenRtnetlink();
        NetworkNamespace outside = world.Namespace("outside", "plays the world beyond the host; it has no route to 10.201.0.0/24");
        using RtnetlinkClient outsideRt = outside.OpenRtnetlink();

        Step(cancel, "(the host's uplink) ip link add uplink0 type veth peer name wan0 netns outside ; addresses 198.51.100.1/24 and 198.51.100.2/24 ; up");
        hostRt.CreateVeth("uplink0", "wan0", outside);
        hostRt.AddAddress("uplink0", IPAddress.Parse("198.51.100.1"), 24);
        outsideRt.AddAddress("wan0", IPAddress.Parse("198.51.100.2"), 24);
        hostRt.SetLinkUp("uplink0");
        outsideRt.SetLinkUp("wan0");
        outsideRt.SetLinkUp("lo");

        foreach (int n in new[] { 4, 5 })
        {
            Step(cancel, $"ip netns exec container{n} ip route add default via 10.201.0.1   (implicit in the note)");
            using RtnetlinkClient rt = world.Get($"container{n}").OpenRtnetlink();
            rt.AddRoute(Route.DefaultVia(IPAddress.Parse("10.201.0.1")));
        }

        Step(cancel, "sysctl -w net.ipv4.ip_forward=1   (in the host namespace)");
        host.WriteSysctl("net.ipv4.ip_forward", "1");
        Result($"net.ipv4.ip_forward = {host.ReadSysctl("net.ipv4.ip_forward")}");

        Step(cancel, "iptables -t nat -A POSTROUTING -s 10.201.0.0/24 -j MASQUERADE ; iptables --policy FORWARD ACCEPT ; and a published port");
        var ruleset = new NatRuleset("lxi_seed")
        {
            Masquerades = [new NatMasquerade("10.201.0.0/24", ["uplink0"])],
            ForwardAccepts = [NatForwardAccept.ForPrefix("10.201.0.0/24")],
            PortPublishes = [new NatPortPublish(ProtocolType.Tcp, 8080, IPAddress.Parse("10.201.0.5"), 80, IPAddress.Parse("198.51.100.1"))],
        };
        host.ApplyNat(ruleset);
        Result("applied in one nf_tables transaction, equal to this `nft -f` input (`nft list ruleset` in the host namespace prints the table as written here):");
        foreach (string line in NftNatBackend.ToNftScript(ruleset, NftFamily.Inet).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Result("  " + line);
        }

        NetworkNamespace c4 = world.Get("container4");
        NetworkNamespace c5 = world.Get("container5");
        Step(cancel, "ip netns exec container4 ping 198.51.100.2   (through the host, masqueraded)");
        Result(Probe.Ping(c4, IPAddress.Parse("198.51.100.2"), Timeout));
        Step(cancel, "TCP from container4 to a listener on 198.51.100.2:9000 in the outside namespace");
        IPAddress seen = Probe.Tcp(c4, outside, IPAddress.Parse("198.51.100.2"), 9000, Timeout);
        Result($"the outside saw the connection come from {seen} (the host's outside address, not 10.201.0.4)");
        if (!seen.Equals(IPAddress.Parse("198.51.100.1")))
        {
            throw new InvalidOperationException($"expected the masqueraded source 198.51.100.1, saw {seen}");
        }

        Step(cancel, "TCP from the outside to 198.51.100.1:8080, published to 10.201.0.5:80 in container5 (DNAT)");
        using (Socket listener = c5.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Parse("10.201.0.5"), 80));
            listener.Listen(1);
            IPAddress client = Probe.Connect(outside, listener, IPAddress.Parse("198.51.100.1"), 8080, Timeout);
            Result($"container5 accepted the connection from {client}");
        }
    }

    private static string Brief(Link link) =>
        $"{link.Name,-8} {link.OperationalState?.ToString().ToUpperInvariant() ?? "?",-8} {(link.Address is null ? "" : string.Join(':', link.Address.GetAddressBytes().Select(b => b.ToString("x2"))))} <{link.Flags}>";

    private static void Heading(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    private static void Step(CancellationToken cancel, string command)
    {
        cancel.ThrowIfCancellationRequested();
        Console.WriteLine($"$ {command}");
    }

    private static void Result(string text) => Console.WriteLine($"    {text}");

    /// <summary>The namespaces this run made, removed in reverse order on dispose.</summary>
    private sealed class World : IDisposable
    {
        private readonly List<(string Role, NetworkNamespace Namespace)> _made = new();

        public World(string prefix) => Prefix = prefix;

        public string Prefix { get; }

        public NetworkNamespace Namespace(string role, string? why = null)
        {
            string name = Prefix + role;
            // Disposing the object deletes the name too (ip netns del); the namespace takes its links with it.
            NetworkNamespace ns = NetworkNamespace.CreateNamed(name, deleteOnDispose: true);
            _made.Add((role, ns));
            Console.WriteLine($"    created network namespace {name} (/run/netns/{name}){(why is null ? "" : $": {why}")}");
            return ns;
        }

        public NetworkNamespace Get(string role) => _made.First(m => m.Role == role).Namespace;

        public void Dispose()
        {
            Heading("Clean-up");
            for (int i = _made.Count - 1; i >= 0; i--)
            {
                (string role, NetworkNamespace ns) = _made[i];
                string name = Prefix + role;
                try
                {
                    ns.Dispose();
                    Console.WriteLine($"$ ip netns del {name}");
                }
                catch (Exception e)
                {
                    Console.WriteLine($"could not delete network namespace {name}: {e.Message}");
                }
            }
        }
    }
}

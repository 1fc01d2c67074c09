using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Cni;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Conntrack;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.LxiCni;

/// <summary>
/// The <c>portMappings</c> capability: what the reference <c>portmap</c> plugin does with its iptables chains
/// (CNI-HOSTPORT-DNAT jumped from PREROUTING and OUTPUT for local destinations, a DNAT chain per container, masquerade
/// of hairpin and localhost connections), in nf_tables. Each attachment owns one table, <c>ip lxi-cni-pm-HASH</c>
/// (HASH: 16 hex digits of SHA-256 of network/container/interface), whose comment
/// <c>lxi-cni portmap NETWORK CONTAINERID IFNAME</c> lets GC find the tables of containers that no longer exist:
/// <code>
/// table ip lxi-cni-pm-HASH {
///     chain hostports { [ip daddr HOSTIP] tcp dport HOSTPORT dnat to CONTAINERIP:PORT ... }
///     chain prerouting { type nat hook prerouting priority dstnat; fib daddr type local jump hostports }
///     chain output { type nat hook output priority dstnat; fib daddr type local jump hostports }
///     chain postrouting { type nat hook postrouting priority srcnat;
///         ip saddr CONTAINERIP ip daddr CONTAINERIP tcp dport PORT masquerade      (hairpin)
///         ip saddr 127.0.0.0/8 ip daddr CONTAINERIP tcp dport PORT masquerade      (localhost) }
/// }
/// </code>
/// Localhost connections also need <c>net.ipv4.conf.BRIDGE.route_localnet=1</c> (set, as the reference does). The
/// conntrack entries of the UDP host ports are flushed after the table is made and after it is removed, so that a flow
/// set up before the mapping (or towards its previous container) does not stay stuck on its old translation.
/// </summary>
internal static class PortMapper
{
    internal const string TablePrefix = "lxi-cni-pm-";
    private const string CommentPrefix = "lxi-cni portmap ";
    private const NftFamily Family = NftFamily.IPv4;
    private static readonly IPAddress LoopbackNetwork = new([127, 0, 0, 0]);

    /// <summary>The mappings this plugin carries out: IPv4 (or no) host address, tcp or udp; checked, code 7 or 2 naming the field.</summary>
    public static IReadOnlyList<NatPortPublish> From(CniNetworkConfig config, IPAddress containerAddress)
    {
        var result = new List<NatPortPublish>();
        IReadOnlyList<CniPortMapping> mappings = config.RuntimeConfig?.PortMappings ?? [];
        for (int i = 0; i < mappings.Count; i++)
        {
            CniPortMapping m = mappings[i];
            string field = $"runtimeConfig.portMappings[{i}]";
            if (m.HostPort is < 1 or > 65535)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.hostPort\" {m.HostPort} is outside 1 to 65535.");
            }

            if (m.ContainerPort is < 1 or > 65535)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.containerPort\" {m.ContainerPort} is outside 1 to 65535.");
            }

            ProtocolType protocol = (m.Protocol ?? "tcp").ToLowerInvariant() switch
            {
                "" or "tcp" => ProtocolType.Tcp,
                "udp" => ProtocolType.Udp,
                "sctp" => throw new CniException(CniErrorCode.UnsupportedField, $"\"{field}.protocol\" \"sctp\" is not supported by lxi-cni (tcp and udp are)."),
                _ => throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.protocol\" \"{m.Protocol}\" is not tcp, udp or sctp."),
            };

            IPAddress? host = null;
            if (!string.IsNullOrEmpty(m.HostIp))
            {
                if (!IPAddress.TryParse(m.HostIp, out host))
                {
                    throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}.hostIP\" \"{m.HostIp}\" is not an IP address.");
                }

                if (host.AddressFamily != containerAddress.AddressFamily)
                {
                    // The reference plugin skips a mapping whose host address is of the other family than the container's.
                    continue;
                }
            }

            result.Add(new NatPortPublish(protocol, m.HostPort, containerAddress, m.ContainerPort, host));
        }

        return result;
    }

    /// <summary>The table of one attachment.</summary>
    public static string TableName(string network, string containerId, string ifName) =>
        TablePrefix + BridgePlugin.Hash(network + "/" + containerId + "/" + ifName)[..16];

    /// <summary>
    /// Adds to <paramref name="tx"/> the replacement of the attachment's table with one holding <paramref name="mappings"/>,
    /// and sets route_localnet on the bridge. After <paramref name="tx"/> is committed, call <see cref="FlushUdp"/>. (The
    /// caller commits it with the network's masquerade: one nf_tables socket, one batch.)
    /// </summary>
    public static void AddTo(NftTransaction tx, string network, string containerId, string ifName, string bridge, IReadOnlyList<NatPortPublish> mappings, Action<string, string> writeSysctl)
    {
        string table = TableName(network, containerId, ifName);
        tx.AddTable(Family, table).DeleteTable(Family, table)
            .AddTable(new NftTable(Family, table) { UserData = NftTableComment.Encode($"{CommentPrefix}{network} {containerId} {ifName}") })
            .AddChain(NftChain.Regular(Family, table, "hostports"))
            .AddChain(NftChain.Base(Family, table, "prerouting", NftChainType.Nat, NftChainHook.Prerouting, NftChain.PriorityDestinationNat))
            .AddChain(NftChain.Base(Family, table, "output", NftChainType.Nat, NftChainHook.Output, NftChain.PriorityDestinationNat))
            .AddChain(NftChain.Base(Family, table, "postrouting", NftChainType.Nat, NftChainHook.Postrouting, NftChain.PrioritySourceNat));
        tx.AddRule(new NftRuleBuilder(Family).DestinationAddressType(RouteType.Local).Jump("hostports").ToRule(table, "prerouting"));
        tx.AddRule(new NftRuleBuilder(Family).DestinationAddressType(RouteType.Local).Jump("hostports").ToRule(table, "output"));
        foreach (NatPortPublish p in mappings)
        {
            var dnat = new NftRuleBuilder(Family);
            if (p.HostAddress is not null)
            {
                dnat.DestinationAddress(p.HostAddress, 32);
            }

            tx.AddRule(dnat.DestinationPort(p.Protocol, p.HostPort).DestinationNat(p.TargetAddress, p.TargetPort).ToRule(table, "hostports"));
        }

        // One pair of masquerades per container port (two mappings to the same port need it once).
        foreach ((ProtocolType protocol, IPAddress target, int port) in mappings.Select(p => (p.Protocol, p.TargetAddress, p.TargetPort)).Distinct())
        {
            tx.AddRule(new NftRuleBuilder(Family).SourceAddress(target, 32).DestinationAddress(target, 32).DestinationPort(protocol, port).Masquerade().ToRule(table, "postrouting"));
            tx.AddRule(new NftRuleBuilder(Family).SourceAddress(LoopbackNetwork, 8).DestinationAddress(target, 32).DestinationPort(protocol, port).Masquerade().ToRule(table, "postrouting"));
        }

        // Connections from 127.0.0.0/8 routed out of the bridge are martian unless route_localnet is on.
        writeSysctl($"net.ipv4.conf.{bridge}.route_localnet", "1");
    }

    /// <summary>Removes the attachment's table (not an error when there is none), then flushes its UDP ports' conntrack entries.</summary>
    public static void Remove(string network, string containerId, string ifName)
    {
        string table = TableName(network, containerId, ifName);
        using NftablesClient nft = NftablesClient.Open();
        NftTable? existing = nft.GetTable(Family, table);
        if (existing is null)
        {
            return;
        }

        List<NatPortPublish> udp = UdpPorts(nft, table);
        nft.Commit(new NftTransaction().AddTable(Family, table).DeleteTable(Family, table), echo: false);
        FlushUdp(udp);
    }

    /// <summary>CHECK: the attachment's table exists with one DNAT rule per mapping.</summary>
    public static void Check(string network, string containerId, string ifName, int expected)
    {
        string table = TableName(network, containerId, ifName);
        using NftablesClient nft = NftablesClient.Open();
        if (nft.GetTable(Family, table) is null)
        {
            throw new CniException(CniErrorCode.CheckFailed, $"CHECK: the port mappings' table ip {table} does not exist.");
        }

        int rules = nft.ListRules(Family, table, "hostports").Items.Count;
        if (rules != expected)
        {
            throw new CniException(CniErrorCode.CheckFailed, $"CHECK: ip {table} chain hostports holds {rules} rules, runtimeConfig.portMappings asks for {expected}.");
        }
    }

    /// <summary>GC: removes the tables of this network whose attachment is not in <paramref name="valid"/> (keys ID\r\nIFNAME).</summary>
    public static void GarbageCollect(string network, ISet<string> valid)
    {
        using NftablesClient nft = NftablesClient.Open();
        foreach (NftTable t in nft.ListTables(Family).Items)
        {
            if (!t.Name.StartsWith(TablePrefix, StringComparison.Ordinal) || t.Comment is not { } comment || !comment.StartsWith(CommentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = comment[CommentPrefix.Length..].Split(' ');
            if (parts.Length != 3 || parts[0] != network || valid.Contains(parts[1] + "\r\n" + parts[2]))
            {
                continue;
            }

            List<NatPortPublish> udp = UdpPorts(nft, t.Name);
            nft.Commit(new NftTransaction().AddTable(Family, t.Name).DeleteTable(Family, t.Name), echo: false);
            FlushUdp(udp);
        }
    }

    /// <summary>The UDP host ports (and host addresses) of a table's DNAT rules, read back from the kernel.</summary>
    private static List<NatPortPublish> UdpPorts(NftablesClient nft, string table)
    {
        var result = new List<NatPortPublish>();
        foreach (NftRule rule in nft.ListRules(Family, table, "hostports").Items)
        {
            // [payload daddr, cmp HOST,] meta l4proto, cmp PROTO, payload dport, cmp PORT, ...: what Apply wrote.
            IReadOnlyList<NftExpression> e = rule.Expressions;
            IPAddress? host = null;
            int i = 0;
            if (e.Count > 1 && e[0] is NftPayload { Base: NftPayloadBase.Network, Offset: 16 } && e[1] is NftCmp { Data.Length: 4 } hostCmp)
            {
                host = new IPAddress(hostCmp.Data.Span);
                i = 2;
            }

            if (e.Count > i + 3 && e[i + 1] is NftCmp { Data.Length: 1 } proto && proto.Data.Span[0] == (byte)ProtocolType.Udp && e[i + 3] is NftCmp { Data.Length: 2 } port)
            {
                int hostPort = (port.Data.Span[0] << 8) | port.Data.Span[1];
                result.Add(new NatPortPublish(ProtocolType.Udp, hostPort, IPAddress.Any, 1, host));
            }
        }

        return result;
    }

    /// <summary>Deletes the conntrack entries of the UDP host ports of <paramref name="mappings"/> (<c>conntrack -D -p udp --dport PORT [-d HOSTIP]</c>).</summary>
    public static void FlushUdp(IEnumerable<NatPortPublish> mappings)
    {
        List<NatPortPublish> udp = mappings.Where(p => p.Protocol == ProtocolType.Udp).ToList();
        if (udp.Count == 0)
        {
            return;
        }

        using ConntrackClient conntrack = ConntrackClient.Open();
        foreach (NatPortPublish p in udp)
        {
            conntrack.Flush(ConntrackFilter.ForPublishedPort(ProtocolType.Udp, (ushort)p.HostPort, p.HostAddress, AddressFamily.InterNetwork));
        }
    }

    internal static string Describe(NatPortPublish p) =>
        string.Create(CultureInfo.InvariantCulture, $"{(p.HostAddress is null ? "" : p.HostAddress + ":")}{p.HostPort}/{(p.Protocol == ProtocolType.Tcp ? "tcp" : "udp")}");
}

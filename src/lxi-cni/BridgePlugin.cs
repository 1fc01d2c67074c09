using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using LinuxIsolation.Cni;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using Microsoft.Win32.SafeHandles;

namespace LinuxIsolation.LxiCni;

/// <summary>
/// The bridge plugin: what containernetworking/plugins' <c>bridge</c> + <c>host-local</c> do, on the library. The
/// plugin's own network namespace is the "host" side (the bridge, the host end of each veth, ip_forward, the
/// masquerade table); the container's is <c>CNI_NETNS</c>.
/// </summary>
internal sealed class BridgePlugin : CniPlugin
{
    private const int ENODEV = 19;

    public override CniResult Add(CniRequest request)
    {
        BridgeConfig cfg = BridgeConfig.From(request.Config);
        DelegatedIpam? delegated = DelegatedIpam.From(request.Config);
        HostLocalIpam? ipam = delegated is null ? HostLocalIpam.From(request.Config) : null;
        (TokenBucket? ingress, TokenBucket? egress) = BandwidthShaper.From(request.Config);
        string ifName = request.IfName;
        string hostVeth = HostVethName(request.ContainerId, ifName);
        using NetworkNamespace container = OpenContainer(request.Environment.NetNs!);
        using RtnetlinkClient host = RtnetlinkClient.Open();
        using (RtnetlinkClient inside = container.OpenRtnetlink())
        {
            if (inside.TryGetLink(ifName, out _))
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_IFNAME \"{ifName}\" already exists in {request.Environment.NetNs}.");
            }
        }

        // One ADD or DEL of a network at a time: an ADD and a DEL of the same container cannot interleave (a DEL
        // freeing the address between an ADD's allocation and its veth would leave a veth without an address), and
        // the bridge, its gateway address and the masquerade table are made and removed by one process at a time.
        using SafeFileHandle networkLock = delegated?.LockNetwork() ?? ipam!.LockNetwork();
        var undo = new Stack<(string What, Action Action)>();
        try
        {
            CniAddress address;
            IPAddress gateway;
            IReadOnlyList<CniRoute> routes;
            CniDns? dns = request.Config.Dns;
            if (delegated is null)
            {
                address = ipam!.Allocate(request.ContainerId, ifName);
                undo.Push(($"release {address}", () => ipam.Release(request.ContainerId, ifName)));
                gateway = ipam.Gateway;
                routes = ipam.Routes;
            }
            else
            {
                // As the reference bridge: the IPAM plugin's DEL undoes its ADD when anything after it fails; its DNS
                // is used unless the network configuration has its own.
                CniResult lease = delegated.Add(request);
                undo.Push(($"IPAM \"{delegated.Type}\" DEL", () => delegated.Release(request)));
                (address, gateway) = DelegatedIpam.Lease(delegated.Type, lease);
                routes = lease.Routes ?? [];
                dns = HasDns(dns) ? dns : HasDns(lease.Dns) ? lease.Dns : null;
            }

            IPNetwork subnet = address.Network;
            IReadOnlyList<NatPortPublish> mappings = PortMapper.From(request.Config, address.Address);

            Link bridge = EnsureBridge(host, cfg, undo);
            if (cfg.IsGateway && !HasAddress(host, bridge.Index, gateway))
            {
                host.AddAddress(bridge.Index, gateway, subnet.PrefixLength);
                int bridgeIndex = bridge.Index;
                undo.Push(($"delete {gateway} from {bridge.Name}", () => { if (!HasPorts(host, bridgeIndex)) { host.DeleteAddress(bridgeIndex, gateway, subnet.PrefixLength); } }));
            }

            IPAddress? defaultGateway = cfg.IsDefaultGateway ? gateway : null;
            foreach (CniRoute r in routes.Where(r => r.Destination.PrefixLength == 0))
            {
                defaultGateway = r.Gateway ?? gateway;
            }

            VethPeer veth = container.AddVethPeer(host, new VethPeerOptions
            {
                HostName = hostVeth,
                PeerName = "lxt" + hostVeth[4..],
                PeerFinalName = ifName,
                BridgeIndex = bridge.Index,
                PeerAddresses = [new VethAddress(address.Address, address.PrefixLength)],
                Gateway = defaultGateway,
            });
            undo.Push(($"delete veth {hostVeth}", () => host.DeleteLink(veth.HostIndex)));
            if (cfg.Vlan is int vid and > 0)
            {
                // The reference's BridgeVlanAdd(hostVeth, vlan, pvid, untagged): the container's untagged frames join the
                // VLAN and leave its port untagged.
                Vlan(() => host.AddBridgeVlan(veth.HostIndex, (ushort)vid, BridgeVlanFlags.Pvid | BridgeVlanFlags.Untagged));
            }

            if (cfg.HairpinMode)
            {
                // A container reaching itself through a published host port: the host sends the DNATed packet back out
                // of the port it came in on, which the bridge does only in hairpin mode (the reference sets it the same way).
                host.SetBridgePortHairpin(veth.HostIndex, on: true);
            }

            BandwidthShaper.Apply(host, veth.HostIndex, request.ContainerId, ifName, cfg.Mtu, ingress, egress, undo);

            Link peer;
            using (RtnetlinkClient inside = container.OpenRtnetlink())
            {
                if (cfg.Mtu is int mtu)
                {
                    host.SetLinkMtu(veth.HostIndex, (uint)mtu);
                    inside.SetLinkMtu(veth.PeerIndex, (uint)mtu);
                }

                foreach (CniRoute r in routes.Where(r => r.Destination.PrefixLength != 0))
                {
                    inside.AddRoute(new Route { Destination = r.Destination, Gateway = r.Gateway ?? gateway });
                }

                peer = inside.GetLink(veth.PeerIndex);
            }

            using (NetworkNamespace self = NetworkNamespace.OpenCurrent())
            {
                if (cfg.IsGateway || cfg.IpMasq)
                {
                    self.WriteSysctl("net.ipv4.ip_forward", "1");
                }

                // The masquerade and the port mappings in one batch: each nf_tables socket closed costs the kernel an
                // RCU grace period (about 5 ms here).
                NftTransaction nat = cfg.IpMasq ? Masquerade(request.Config.Name!, subnet) : new NftTransaction();
                if (mappings.Count > 0)
                {
                    undo.Push(("remove the port mappings", () => PortMapper.Remove(request.Config.Name!, request.ContainerId, ifName)));
                    PortMapper.AddTo(nat, request.Config.Name!, request.ContainerId, ifName, cfg.BridgeName, mappings, self.WriteSysctl);
                }

                if (nat.Count > 0)
                {
                    using NftablesClient nft = NftablesClient.Open();
                    nft.Commit(nat, echo: false);
                }

                PortMapper.FlushUdp(mappings);
            }

            Link hostLink = host.GetLink(veth.HostIndex);
            bridge = host.GetLink(bridge.Index);
            return new CniResult
            {
                Interfaces =
                [
                    new CniInterface { Name = bridge.Name, Mac = Mac(bridge.Address) },
                    new CniInterface { Name = hostLink.Name, Mac = Mac(hostLink.Address) },
                    new CniInterface { Name = ifName, Mac = Mac(peer.Address), Sandbox = request.Environment.NetNs },
                ],
                Ips = [new CniIpConfig { Address = address, Gateway = gateway, Interface = 2 }],
                Routes = routes.Count > 0 ? routes : null,
                Dns = dns,
            };
        }
        catch (Exception e)
        {
            var failed = new List<string>();
            while (undo.TryPop(out (string What, Action Action) step))
            {
                try
                {
                    step.Action();
                }
                catch (Exception u) when (u is NetlinkException or NftTransactionException or IOException or CniException)
                {
                    failed.Add($"{step.What}: {u.Message}");
                }
            }

            string message = failed.Count == 0 ? e.Message : $"{e.Message} (undoing failed too: {string.Join("; ", failed)})";
            throw e is CniException c ? new CniException(c.Code, message, c.Details, e) : new CniException(CniErrorCode.Unknown, message, e.GetType().Name, e);
        }
    }

    public override void Delete(CniRequest request)
    {
        BridgeConfig cfg = BridgeConfig.From(request.Config);
        DelegatedIpam? delegated = DelegatedIpam.From(request.Config);
        HostLocalIpam? ipam = delegated is null ? HostLocalIpam.From(request.Config) : null;
        using SafeFileHandle networkLock = delegated?.LockNetwork() ?? ipam!.LockNetwork();
        using RtnetlinkClient host = RtnetlinkClient.Open();
        DeleteLinkIfPresent(host, HostVethName(request.ContainerId, request.IfName));
        DeleteLinkIfPresent(host, BandwidthShaper.IfbName(request.ContainerId, request.IfName));
        if (request.Environment.NetNs is string netns && File.Exists(netns))
        {
            try
            {
                using NetworkNamespace container = NetworkNamespace.OpenPath(netns);
                using RtnetlinkClient inside = container.OpenRtnetlink();
                DeleteLinkIfPresent(inside, request.IfName);
            }
            catch (LinuxSyscallException)
            {
                // The namespace is gone or not one: nothing of ours can be left in it.
            }
        }

        PortMapper.Remove(request.Config.Name!, request.ContainerId, request.IfName);
        int remaining;
        if (delegated is null)
        {
            remaining = ipam!.Release(request.ContainerId, request.IfName);
        }
        else
        {
            // The IPAM plugin's own DEL (idempotent by the spec); what remains in the network is what remains on the bridge.
            delegated.Release(request);
            remaining = host.TryGetLink(cfg.BridgeName, out Link? bridge) && HasPorts(host, bridge.Index) ? 1 : 0;
        }

        if (cfg.IpMasq && remaining == 0)
        {
            using NetworkNamespace self = NetworkNamespace.OpenCurrent();
            self.RemoveNat(Owner(request.Config.Name!), NftFamily.IPv4);
        }
    }

    public override void Check(CniRequest request)
    {
        BridgeConfig cfg = BridgeConfig.From(request.Config);
        DelegatedIpam? delegated = DelegatedIpam.From(request.Config);
        HostLocalIpam? ipam = delegated is null ? HostLocalIpam.From(request.Config) : null;
        CniResult prev = request.Config.PrevResult!;
        string netns = request.Environment.NetNs!;
        CniIpConfig ip = prev.Ips?.FirstOrDefault(i => i.Interface is int n && prev.Interfaces?[n].Sandbox is not null)
            ?? throw Check($"prevResult has no address of an interface in a sandbox.");
        if (delegated is not null)
        {
            // As the reference bridge: the IPAM plugin checks its own state first (its error passed through).
            delegated.Check(request);
        }
        else
        {
            IPAddress? held = ipam!.Find(request.ContainerId, request.IfName);
            if (!ip.Address.Address.Equals(held))
            {
                throw Check($"IPAM holds {held?.ToString() ?? "no address"} for {request.ContainerId}/{request.IfName}, prevResult says {ip.Address.Address}.");
            }
        }

        using RtnetlinkClient host = RtnetlinkClient.Open();
        if (!host.TryGetLink(cfg.BridgeName, out Link? bridge) || bridge.Kind != "bridge")
        {
            throw Check($"bridge {cfg.BridgeName} does not exist.");
        }

        if (cfg.PromiscMode && (bridge.Flags & LinkFlags.Promiscuous) == 0)
        {
            throw Check($"bridge {cfg.BridgeName} is not promiscuous (\"promiscMode\": true).");
        }

        string hostVeth = HostVethName(request.ContainerId, request.IfName);
        if (!host.TryGetLink(hostVeth, out Link? hostLink) || hostLink.MasterIndex != bridge.Index)
        {
            throw Check($"host veth {hostVeth} does not exist or is not a port of {cfg.BridgeName}.");
        }

        using NetworkNamespace container = OpenContainer(netns);
        using RtnetlinkClient inside = container.OpenRtnetlink();
        if (!inside.TryGetLink(request.IfName, out Link? peer))
        {
            throw Check($"{request.IfName} does not exist in {netns}.");
        }

        if (!HasAddress(inside, peer.Index, ip.Address.Address))
        {
            throw Check($"{request.IfName} in {netns} does not hold {ip.Address}.");
        }

        (TokenBucket? ingress, TokenBucket? egress) = BandwidthShaper.From(request.Config);
        BandwidthShaper.Check(host, hostLink.Index, request.ContainerId, request.IfName, ingress, egress);

        int mappings = PortMapper.From(request.Config, ip.Address.Address).Count;
        if (mappings > 0)
        {
            PortMapper.Check(request.Config.Name!, request.ContainerId, request.IfName, mappings);
        }
    }

    public override void Status(CniRequest request)
    {
        _ = BridgeConfig.From(request.Config);
        if (DelegatedIpam.From(request.Config) is DelegatedIpam delegated)
        {
            // Available when the IPAM plugin can be found (Debian's IPAM plugins speak CNI 1.0 and have no STATUS).
            _ = CniDelegate.Find(delegated.Type, request.Environment.Path);
        }
        else
        {
            _ = HostLocalIpam.From(request.Config);
        }
    }

    public override void GarbageCollect(CniRequest request, IReadOnlyList<CniAttachment> validAttachments)
    {
        BridgeConfig cfg = BridgeConfig.From(request.Config);
        var valid = validAttachments.Select(a => a.ContainerId + "\r\n" + a.IfName).ToHashSet(StringComparer.Ordinal);
        if (DelegatedIpam.From(request.Config) is DelegatedIpam delegated)
        {
            GarbageCollectDelegated(request, cfg, delegated, validAttachments, valid);
            return;
        }

        HostLocalIpam ipam = HostLocalIpam.From(request.Config);
        using SafeFileHandle networkLock = ipam.LockNetwork();
        int remaining = ipam.ReleaseWhere(o => !valid.Contains(o), out List<string> released);
        PortMapper.GarbageCollect(request.Config.Name!, valid);
        using RtnetlinkClient host = RtnetlinkClient.Open();
        foreach (string owner in released)
        {
            string[] parts = owner.Split("\r\n");
            if (parts.Length == 2)
            {
                DeleteLinkIfPresent(host, HostVethName(parts[0], parts[1]));
                DeleteLinkIfPresent(host, BandwidthShaper.IfbName(parts[0], parts[1]));
            }
        }

        if (cfg.IpMasq && remaining == 0)
        {
            using NetworkNamespace self = NetworkNamespace.OpenCurrent();
            self.RemoveNat(Owner(request.Config.Name!), NftFamily.IPv4);
        }
    }

    /// <summary>
    /// GC with a delegated IPAM: lxi-cni's own leftovers (port mappings; host veths on the bridge whose name is no valid
    /// attachment's) are removed here, the addresses by the IPAM plugin's own GC (which needs a plugin of CNI 1.1).
    /// </summary>
    private static void GarbageCollectDelegated(CniRequest request, BridgeConfig cfg, DelegatedIpam delegated, IReadOnlyList<CniAttachment> validAttachments, HashSet<string> valid)
    {
        using SafeFileHandle networkLock = delegated.LockNetwork();
        PortMapper.GarbageCollect(request.Config.Name!, valid);
        var keep = validAttachments.Select(a => HostVethName(a.ContainerId, a.IfName)).ToHashSet(StringComparer.Ordinal);
        using RtnetlinkClient host = RtnetlinkClient.Open();
        int remaining = 0;
        if (host.TryGetLink(cfg.BridgeName, out Link? bridge))
        {
            foreach (Link port in host.ListLinks().Where(l => l.MasterIndex == bridge.Index))
            {
                if (port.Name.Length == 12 && port.Name.StartsWith("veth", StringComparison.Ordinal) && !keep.Contains(port.Name))
                {
                    DeleteLinkIfPresent(host, port.Name);
                    DeleteLinkIfPresent(host, "lxb" + port.Name[4..]);
                }
                else
                {
                    remaining++;
                }
            }
        }

        if (cfg.IpMasq && remaining == 0)
        {
            using NetworkNamespace self = NetworkNamespace.OpenCurrent();
            self.RemoveNat(Owner(request.Config.Name!), NftFamily.IPv4);
        }

        CniDelegate.Invoke(delegated.Type, CniCommand.Gc, request);
    }

    private const int EOPNOTSUPP = 95;

    private static void Vlan(Action request)
    {
        try
        {
            request();
        }
        catch (NetlinkException e) when (e.Errno == EOPNOTSUPP)
        {
            throw new CniException(CniErrorCode.UnsupportedField, $"\"vlan\": this kernel does not filter VLANs on bridges (built without CONFIG_BRIDGE_VLAN_FILTERING): {e.Message}", innerException: e);
        }
    }

    private static bool HasDns(CniDns? dns) =>
        dns is not null && (dns.Nameservers is { Count: > 0 } || dns.Domain is not null || dns.Search is { Count: > 0 } || dns.Options is { Count: > 0 });

    private static Link EnsureBridge(RtnetlinkClient host, BridgeConfig cfg, Stack<(string, Action)> undo)
    {
        bool created = false;
        if (host.TryGetLink(cfg.BridgeName, out Link? existing))
        {
            if (existing.Kind != "bridge")
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"bridge\" {cfg.BridgeName} exists but is a {existing.Kind ?? "link of no kind"}, not a bridge.");
            }
        }
        else
        {
            existing = host.CreateBridge(cfg.BridgeName);
            created = true;
            int index = existing.Index;
            // Undone only while no other ADD has put a port on it meanwhile.
            undo.Push(($"delete bridge {cfg.BridgeName}", () => { if (!HasPorts(host, index)) { host.DeleteLink(index); } }));
        }

        if (cfg.Mtu is int mtu && existing.Mtu != (uint)mtu)
        {
            host.SetLinkMtu(existing.Index, (uint)mtu);
        }

        if (cfg.PromiscMode && (existing.Flags & LinkFlags.Promiscuous) == 0)
        {
            // As the reference's promiscMode: the bridge device sees every frame of its ports.
            host.SetLinkPromiscuous(existing.Index, on: true);
        }

        if (cfg.Vlan is int vid and > 0)
        {
            // As the reference bridge with "vlan": VLAN filtering on the bridge. The gateway address lives on the bridge
            // device itself, so the bridge is made an untagged PVID member of the VLAN too (where the reference makes a
            // "BRIDGE.VLAN" veth for it); on a kernel without CONFIG_BRIDGE_VLAN_FILTERING this is code 2, nothing made.
            int index = existing.Index;
            Vlan(() => host.SetBridgeVlanFiltering(index, on: true));
            Vlan(() => host.AddBridgeVlan(index, (ushort)vid, BridgeVlanFlags.Pvid | BridgeVlanFlags.Untagged, self: true));
        }

        if (!existing.IsUp)
        {
            host.SetLinkUp(existing.Index);
        }

        if (created)
        {
            // Setting the kernel's random address explicitly keeps it: otherwise a bridge takes the lowest address
            // of its ports, and changes it as containers come and go (the reference plugin keeps its own too). Set
            // after the bridge is up: set before, its operstate stays UNKNOWN where the reference's is UP.
            if (host.GetLink(existing.Index).Address is { } mac)
            {
                host.SetLinkAddress(existing.Index, mac);
            }
        }

        return existing;
    }

    /// <summary>
    /// The network's masquerade, replacing its table in one transaction: what the reference plugin's per-container
    /// iptables chain does (leave the subnet itself and multicast alone, masquerade the rest), once per network:
    /// <c>table ip lxi-cni-NAME { comment "lxi-cni network NAME"; chain postrouting { type nat hook postrouting priority
    /// srcnat; ip saddr SUBNET ip daddr != SUBNET ip daddr != 224.0.0.0/4 masquerade } }</c>. Traffic between two
    /// containers of the bridge passes these hooks too where br_netfilter is on (bridge-nf-call-iptables), and must keep
    /// its source.
    /// </summary>
    private static NftTransaction Masquerade(string network, IPNetwork subnet)
    {
        const NftFamily ip = NftFamily.IPv4;
        string table = Owner(network);
        var rule = new NftRuleBuilder(ip).SourceAddress(subnet.BaseAddress, subnet.PrefixLength);
        NotDestination(rule, subnet.BaseAddress, subnet.PrefixLength);
        NotDestination(rule, new IPAddress([224, 0, 0, 0]), 4);
        return new NftTransaction()
            .AddTable(ip, table).DeleteTable(ip, table)
            .AddTable(new NftTable(ip, table) { UserData = NftTableComment.Encode($"lxi-cni network {network}") })
            .AddChain(NftChain.Base(ip, table, "postrouting", NftChainType.Nat, NftChainHook.Postrouting, NftChain.PrioritySourceNat))
            .AddRule(rule.Masquerade().ToRule(table, "postrouting"));
    }

    /// <summary><c>ip daddr != PREFIX</c>, as nft encodes it: the prefix's whole bytes compared, or all four masked.</summary>
    private static void NotDestination(NftRuleBuilder rule, IPAddress network, int prefixLength)
    {
        byte[] bytes = network.GetAddressBytes();
        if (prefixLength % 8 == 0)
        {
            rule.Add(new NftPayload(NftPayloadBase.Network, 16, (uint)(prefixLength / 8)));
            rule.Add(new NftCmp(NftCmpOp.NotEqual, new NftData(bytes.AsSpan(0, prefixLength / 8))));
            return;
        }

        uint mask = uint.MaxValue << (32 - prefixLength);
        rule.Add(new NftPayload(NftPayloadBase.Network, 16, 4));
        rule.Add(new NftBitwise(NftRegister.R1, NftRegister.R1, 4, NftData.FromUInt32BigEndian(mask), NftData.FromUInt32(0)));
        rule.Add(new NftCmp(NftCmpOp.NotEqual, new NftData(bytes)));
    }

    /// <summary>The owned nf_tables table of a network: "lxi-cni-NAME", or a hash when the name does not fit an owner tag.</summary>
    private static string Owner(string network)
    {
        string tag = "lxi-cni-" + network;
        return tag.Length <= 32 && char.IsAsciiLetter(tag[0]) ? tag : "lxi-cni-" + Hash(network)[..16];
    }

    /// <summary>"veth" and 8 hex digits of SHA-256(id/ifname): found again by DEL, CHECK and GC without state.</summary>
    internal static string HostVethName(string containerId, string ifName) => "veth" + Hash(containerId + "/" + ifName)[..8];

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void DeleteLinkIfPresent(RtnetlinkClient client, string name)
    {
        if (client.TryGetLink(name, out Link? link))
        {
            try
            {
                client.DeleteLink(link.Index);
            }
            catch (NetlinkException e) when (e.Errno == ENODEV)
            {
                // Deleted meanwhile (its peer went first).
            }
        }
    }

    private static bool HasPorts(RtnetlinkClient client, int bridgeIndex) => client.ListLinks().Any(l => l.MasterIndex == bridgeIndex);

    private static bool HasAddress(RtnetlinkClient client, int index, IPAddress address) =>
        client.ListAddresses(index).Any(a => a.Address.Equals(address));

    private static NetworkNamespace OpenContainer(string path)
    {
        try
        {
            return NetworkNamespace.OpenPath(path);
        }
        catch (Exception e) when (e is LinuxSyscallException or ArgumentException or IOException)
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_NETNS \"{path}\" cannot be opened as a network namespace: {e.Message}");
        }
    }

    private static string? Mac(PhysicalAddress? a) =>
        a is null ? null : string.Join(':', a.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static CniException Check(string message) => new(CniErrorCode.CheckFailed, "CHECK: " + message);
}

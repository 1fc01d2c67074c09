using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Connects this namespace to the namespace of <paramref name="host"/> with a veth pair, as a container
    /// runtime's bridge network does per container, and returns what it made. The steps, with their iproute2
    /// equivalents (HOST = <see cref="VethPeerOptions.HostName"/>, PEER = <see cref="VethPeerOptions.PeerName"/>,
    /// NS = this namespace):
    /// <list type="number">
    /// <item><c>ip link add HOST type veth peer name PEER netns NS</c> (the peer is created directly inside);</item>
    /// <item><c>ip link set HOST alias TAG</c> and <c>ip -n NS link set PEER alias TAG</c> when <see cref="VethPeerOptions.Owner"/> is set;</item>
    /// <item><c>ip -n NS link set PEER name FINAL</c> when <see cref="VethPeerOptions.PeerFinalName"/> is set;</item>
    /// <item><c>ip link set HOST master BRIDGE</c> when <see cref="VethPeerOptions.BridgeIndex"/> is set;</item>
    /// <item><c>ip link set HOST up</c> unless <see cref="VethPeerOptions.HostUp"/> is false;</item>
    /// <item><c>ip -n NS addr add ADDRESS/PREFIX dev FINAL</c> for each of <see cref="VethPeerOptions.PeerAddresses"/>;</item>
    /// <item><c>ip -n NS link set lo up</c> and <c>ip -n NS link set FINAL up</c>;</item>
    /// <item><c>ip -n NS route add default via GATEWAY</c> when <see cref="VethPeerOptions.Gateway"/> is set.</item>
    /// </list>
    /// If any step fails the pair is deleted (deleting either end removes both, with its addresses and routes), so
    /// nothing is left; the exception keeps its type and errno (<see cref="Netlink.NetlinkException"/> mostly), names the
    /// step and says "undone". Needs CAP_NET_ADMIN over both namespaces. Logged under <c>LinuxIsolation.Networking</c>.
    /// </summary>
    /// <param name="host">An rtnetlink client of the namespace where the host end goes (and the bridge is).</param>
    /// <param name="options">Names, bridge, addresses and gateway.</param>
    /// <returns>The two ends' indexes and names.</returns>
    /// <exception cref="ArgumentException">A name is not a valid interface name, a prefix length is out of range, or the gateway's family has no address on the peer.</exception>
    /// <exception cref="Netlink.NetlinkException">A step failed (e.g. EEXIST: the host name is taken); the pair was removed.</exception>
    /// <exception cref="UndoFailedException">A step failed and deleting the pair failed too; <see cref="UndoFailedException.LeftBehind"/> names it.</exception>
    public VethPeer AddVethPeer(RtnetlinkClient host, VethPeerOptions options) => AddVethPeer(host, options, null);

    /// <summary>The steps of <see cref="AddVethPeer(RtnetlinkClient, VethPeerOptions)"/>, with the test seam.</summary>
    /// <param name="host">The host client.</param>
    /// <param name="options">The options.</param>
    /// <param name="fault">Test seam: a step made to fail after doing its work, or an undo made to fail.</param>
    internal VethPeer AddVethPeer(RtnetlinkClient host, VethPeerOptions options, StepFault? fault)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        ThrowIfDisposed();
        string final = options.PeerFinalName ?? options.PeerName;
        string where = Name ?? "an anonymous namespace";
        var op = new MultiStepOperation(LinuxIsolationLogging.Networking, "add veth peer", $"{options.HostName}/{final} in {where}", fault);

        RtnetlinkClient inside = op.Step("open rtnetlink inside the namespace", () => OpenRtnetlink());
        try
        {
            Link hostEnd = op.Step($"create veth pair {options.HostName}/{options.PeerName}", () => host.CreateVeth(options.HostName, options.PeerName, Handle.FileDescriptor));
            op.OnUndo($"veth pair {options.HostName}/{options.PeerName}", $"ip link delete {options.HostName}", () => host.DeleteLink(hostEnd.Index));
            int peerIndex = op.Step($"find {options.PeerName} inside", () => inside.GetLink(options.PeerName).Index);
            if (options.Owner is { } owner)
            {
                op.Step("tag both ends with the owner", () =>
                {
                    host.SetLinkAlias(hostEnd.Index, owner.Tag);
                    inside.SetLinkAlias(peerIndex, owner.Tag);
                });
            }

            if (options.PeerFinalName is not null)
            {
                op.Step($"rename {options.PeerName} to {final}", () => inside.SetLinkName(peerIndex, final));
            }

            if (options.BridgeIndex is { } bridge)
            {
                op.Step($"set {options.HostName} master {bridge}", () => host.SetLinkMaster(hostEnd.Index, bridge));
            }

            if (options.HostUp)
            {
                op.Step($"set {options.HostName} up", () => host.SetLinkUp(hostEnd.Index));
            }

            foreach (VethAddress a in options.PeerAddresses ?? [])
            {
                op.Step($"add address {a} to {final}", () => inside.AddAddress(peerIndex, a.Address, a.PrefixLength));
            }

            op.Step("set lo up", () => inside.SetLinkUp(inside.GetLink("lo").Index));
            op.Step($"set {final} up", () => inside.SetLinkUp(peerIndex));
            if (options.Gateway is { } gateway)
            {
                op.Step($"add default route via {gateway}", () => inside.AddRoute(Route.DefaultVia(gateway)));
            }

            op.Complete();
            return new VethPeer(hostEnd.Index, options.HostName, peerIndex, final);
        }
        finally
        {
            inside.Dispose();
        }
    }

    private static void Validate(VethPeerOptions options)
    {
        InterfaceName.Validate(options.HostName, nameof(options) + "." + nameof(options.HostName));
        InterfaceName.Validate(options.PeerName, nameof(options) + "." + nameof(options.PeerName));
        if (options.PeerFinalName is not null)
        {
            InterfaceName.Validate(options.PeerFinalName, nameof(options) + "." + nameof(options.PeerFinalName));
        }

        if (options.BridgeIndex is <= 0)
        {
            throw new ArgumentException("BridgeIndex must be a positive interface index.", nameof(options));
        }

        var families = new HashSet<AddressFamily>();
        foreach (VethAddress a in options.PeerAddresses ?? [])
        {
            if (a.Address is null)
            {
                throw new ArgumentException("A peer address is null.", nameof(options));
            }

            int max = a.Address.AddressFamily switch
            {
                AddressFamily.InterNetwork => 32,
                AddressFamily.InterNetworkV6 => 128,
                _ => throw new ArgumentException($"Peer address {a.Address} is neither IPv4 nor IPv6.", nameof(options)),
            };
            if (a.PrefixLength < 0 || a.PrefixLength > max)
            {
                throw new ArgumentException($"Prefix length {a.PrefixLength} of {a.Address} is outside 0 to {max}.", nameof(options));
            }

            families.Add(a.Address.AddressFamily);
        }

        if (options.Gateway is { } gateway && !families.Contains(gateway.AddressFamily))
        {
            throw new ArgumentException($"Gateway {gateway} has no peer address of its family to be reached through.", nameof(options));
        }
    }
}

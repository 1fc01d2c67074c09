using System.Collections.Generic;
using System.Net;

namespace LinuxIsolation.Namespaces;

/// <summary>
/// What <see cref="NetworkNamespace.AddVethPeer(Netlink.Rtnetlink.RtnetlinkClient, VethPeerOptions)"/> sets up: the
/// per-container step of a bridge network (what CNI's bridge plugin and the seed walkthrough do by hand). Only
/// <see cref="HostName"/> and <see cref="PeerName"/> are required; a null member is a step left out.
/// </summary>
public sealed record VethPeerOptions
{
    /// <summary>The name of the end that stays in the host client's namespace, e.g. <c>veth1a2b</c> (1 to 15 bytes).</summary>
    public required string HostName { get; init; }

    /// <summary>
    /// The name the peer is created with, directly inside the namespace. When <see cref="PeerFinalName"/> is set this
    /// is a temporary name; otherwise it is the final one.
    /// </summary>
    public required string PeerName { get; init; }

    /// <summary>The name the peer is renamed to once inside (e.g. <c>eth0</c>), or null to keep <see cref="PeerName"/>.</summary>
    public string? PeerFinalName { get; init; }

    /// <summary>The index of a bridge (in the host client's namespace) the host end is enslaved to, or null.</summary>
    public int? BridgeIndex { get; init; }

    /// <summary>Addresses added to the peer, in order (e.g. <c>10.201.0.4/24</c>), or null.</summary>
    public IReadOnlyList<VethAddress>? PeerAddresses { get; init; }

    /// <summary>A gateway the namespace's default route goes through (IPv4 or IPv6), or null for no route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Whether the host end is set up (default true).</summary>
    public bool HostUp { get; init; } = true;

    /// <summary>
    /// An owner whose tag is set as the alias of both ends right after the pair is made
    /// (<c>ip link set NAME alias TAG</c>), so <see cref="Ownership.Leftovers"/> can find the pair after a crash; or null.
    /// </summary>
    public Ownership.ResourceOwner? Owner { get; init; }
}

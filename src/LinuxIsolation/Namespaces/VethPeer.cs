namespace LinuxIsolation.Namespaces;

/// <summary>What <see cref="NetworkNamespace.AddVethPeer(Netlink.Rtnetlink.RtnetlinkClient, VethPeerOptions)"/> made.</summary>
/// <param name="HostIndex">The host end's interface index (in the host client's namespace).</param>
/// <param name="HostName">The host end's name.</param>
/// <param name="PeerIndex">The peer's interface index inside the namespace.</param>
/// <param name="PeerName">The peer's final name inside the namespace.</param>
public sealed record VethPeer(int HostIndex, string HostName, int PeerIndex, string PeerName);

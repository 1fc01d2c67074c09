namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Both ends of a veth pair made in one namespace by <see cref="RtnetlinkClient.CreateVethPair(string, string)"/>.</summary>
/// <param name="End">The end named first (<c>ip link add NAME ...</c>).</param>
/// <param name="Peer">The peer (<c>... peer name PEER</c>); its <see cref="Link.LinkIndex"/> is <paramref name="End"/>'s index and the other way round.</param>
public sealed record VethPair(Link End, Link Peer);

using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Publish a host port: connections to <paramref name="HostPort"/> are sent to <paramref name="TargetAddress"/>:<paramref name="TargetPort"/>
/// with DNAT: <c>[ip daddr HOST] tcp dport HOSTPORT dnat ip to TARGET:PORT</c>
/// (<c>iptables -t nat -A PREROUTING [-d HOST] -p tcp --dport HOSTPORT -j DNAT --to-destination TARGET:PORT</c>).
/// </summary>
/// <param name="Protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
/// <param name="HostPort">The published port, 1..65535.</param>
/// <param name="TargetAddress">The container's address (IPv4 or IPv6).</param>
/// <param name="TargetPort">The container's port, 1..65535.</param>
/// <param name="HostAddress">Only connections to this host address; null for any. Same family as the target.</param>
public sealed record NatPortPublish(ProtocolType Protocol, int HostPort, IPAddress TargetAddress, int TargetPort, IPAddress? HostAddress = null)
{
    internal NftFamily Validate()
    {
        if (Protocol is not (ProtocolType.Tcp or ProtocolType.Udp))
        {
            throw new ArgumentException($"A published port is TCP or UDP, not {Protocol}.", nameof(Protocol));
        }

        NftRuleBuilder.CheckPort(HostPort, nameof(HostPort));
        NftRuleBuilder.CheckPort(TargetPort, nameof(TargetPort));
        ArgumentNullException.ThrowIfNull(TargetAddress, nameof(TargetAddress));
        NftFamily family = NftPrefix.FamilyOf(TargetAddress, nameof(TargetAddress));
        if (HostAddress is not null && NftPrefix.FamilyOf(HostAddress, nameof(HostAddress)) != family)
        {
            throw new ArgumentException($"Host address {HostAddress} and target address {TargetAddress} are of different address families.", nameof(HostAddress));
        }

        return family;
    }
}

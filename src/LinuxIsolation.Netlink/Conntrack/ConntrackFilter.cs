using System;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// Which conntrack entries a listing or a flush selects, as <c>conntrack -L/-D</c>'s selection options do
/// (<c>-f FAMILY -w ZONE -m MARK/MASK -p PROTO -s -d --sport --dport --reply-src --reply-dst --reply-port-src
/// --reply-port-dst</c>). Every condition set must hold; null (and <see cref="AddressFamily.Unspecified"/>) means
/// "any". The original-direction conditions apply to <see cref="ConntrackEntry.Original"/>, the reply ones to
/// <see cref="ConntrackEntry.Reply"/>.
/// </summary>
/// <remarks>
/// <see cref="ConntrackClient"/> hands the kernel whatever part of a filter the running kernel evaluates (family,
/// mark and mask; the zone from Linux 6.8; protocol, IPv4 addresses and TCP/UDP ports through <c>CTA_FILTER</c> from
/// Linux 5.8) and checks every condition again on what comes back, so the result is exact on every kernel.
/// IPv6 address conditions are always evaluated by the library: the kernel's <c>CTA_FILTER</c> match of IPv6
/// addresses is inverted (it selects the entries whose address differs; seen on 6.18).
/// </remarks>
public sealed record ConntrackFilter
{
    /// <summary>The entries' family (<c>-f ipv4|ipv6</c>); <see cref="AddressFamily.Unspecified"/> for both, unless an address implies one.</summary>
    public AddressFamily Family { get; init; } = AddressFamily.Unspecified;

    /// <summary>The zone (<c>-w ZONE</c>; 0 is the default zone).</summary>
    public ushort? Zone { get; init; }

    /// <summary>The mark the entry's mark, ANDed with <see cref="MarkMask"/>, must equal (<c>-m MARK[/MASK]</c>).</summary>
    public uint? Mark { get; init; }

    /// <summary>The mask applied to the entry's mark before comparing it with <see cref="Mark"/>; all ones by default.</summary>
    public uint MarkMask { get; init; } = uint.MaxValue;

    /// <summary>The layer-4 protocol (<c>-p PROTO</c>); required by the port conditions.</summary>
    public ProtocolType? Protocol { get; init; }

    /// <summary>The original direction's source address (<c>-s ADDR</c>).</summary>
    public IPAddress? OriginalSource { get; init; }

    /// <summary>The original direction's destination address (<c>-d ADDR</c>; for a published port, the host address it was reached at).</summary>
    public IPAddress? OriginalDestination { get; init; }

    /// <summary>The original direction's source port (<c>--sport PORT</c>).</summary>
    public ushort? OriginalSourcePort { get; init; }

    /// <summary>The original direction's destination port (<c>--dport PORT</c>; for a published port, the host port).</summary>
    public ushort? OriginalDestinationPort { get; init; }

    /// <summary>The reply direction's source address (<c>--reply-src ADDR</c>; after DNAT, the container's address).</summary>
    public IPAddress? ReplySource { get; init; }

    /// <summary>The reply direction's destination address (<c>--reply-dst ADDR</c>).</summary>
    public IPAddress? ReplyDestination { get; init; }

    /// <summary>The reply direction's source port (<c>--reply-port-src PORT</c>; after DNAT, the container's port).</summary>
    public ushort? ReplySourcePort { get; init; }

    /// <summary>The reply direction's destination port (<c>--reply-port-dst PORT</c>).</summary>
    public ushort? ReplyDestinationPort { get; init; }

    /// <summary>
    /// The entries of connections made to a published port: original destination port <paramref name="port"/> of
    /// <paramref name="protocol"/>, optionally at one host address. This is what the CNI portmap plugin removes when a
    /// UDP mapping changes, so that a stale entry does not keep sending the flow to the old container
    /// (<c>conntrack -D -p udp --dport PORT [-d ADDR]</c>).
    /// </summary>
    public static ConntrackFilter ForPublishedPort(ProtocolType protocol, ushort port, IPAddress? hostAddress = null, AddressFamily family = AddressFamily.Unspecified) =>
        new() { Family = family, Protocol = protocol, OriginalDestinationPort = port, OriginalDestination = hostAddress };

    /// <summary>
    /// The family this filter selects: <see cref="Family"/>, or that of its addresses when it is unspecified.
    /// </summary>
    public AddressFamily EffectiveFamily =>
        Family != AddressFamily.Unspecified ? Family
        : (OriginalSource ?? OriginalDestination ?? ReplySource ?? ReplyDestination)?.AddressFamily ?? AddressFamily.Unspecified;

    /// <summary>True when the filter has conditions on the tuples (protocol, addresses or ports).</summary>
    public bool HasTupleConditions =>
        Protocol is not null || HasOriginalConditions || HasReplyConditions;

    internal bool HasOriginalConditions =>
        OriginalSource is not null || OriginalDestination is not null || OriginalSourcePort is not null || OriginalDestinationPort is not null;

    internal bool HasReplyConditions =>
        ReplySource is not null || ReplyDestination is not null || ReplySourcePort is not null || ReplyDestinationPort is not null;

    /// <summary>
    /// Checks the filter: a family of IPv4 or IPv6 that its addresses agree with, ports only with a port protocol
    /// (TCP, UDP, UDP-Lite, SCTP, DCCP), no mark bits outside the mask.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public void Validate(string paramName)
    {
        if (Family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{Family} is not a conntrack family (Unspecified, InterNetwork, InterNetworkV6).", paramName);
        }

        AddressFamily family = EffectiveFamily;
        foreach (IPAddress? address in new[] { OriginalSource, OriginalDestination, ReplySource, ReplyDestination })
        {
            if (address is not null && address.AddressFamily != family)
            {
                throw new ArgumentException($"The address {address} is not of the filter's family {family}.", paramName);
            }
        }

        if (family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"The filter's addresses must be IPv4 or IPv6, not {family}.", paramName);
        }

        bool ports = OriginalSourcePort is not null || OriginalDestinationPort is not null || ReplySourcePort is not null || ReplyDestinationPort is not null;
        if (ports && (Protocol is not ProtocolType p || !ConntrackTuple.HasPorts(p)))
        {
            throw new ArgumentException("A port condition needs Protocol set to TCP, UDP, UDP-Lite, SCTP or DCCP (conntrack: --dport needs -p).", paramName);
        }

        if (Protocol is ProtocolType proto && (int)proto is < 0 or > 255)
        {
            throw new ArgumentException($"{(int)proto} is not an IP protocol number (0..255).", paramName);
        }

        if (Mark is uint mark && (mark & ~MarkMask) != 0)
        {
            throw new ArgumentException($"The mark 0x{mark:x} has bits outside the mask 0x{MarkMask:x}: no entry could match.", paramName);
        }
    }

    /// <summary>True when <paramref name="entry"/> meets every condition of this filter.</summary>
    public bool Matches(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AddressFamily family = EffectiveFamily;
        if (family != AddressFamily.Unspecified && entry.Family != family)
        {
            return false;
        }

        if (Zone is ushort zone && entry.Zone != zone)
        {
            return false;
        }

        if (Mark is uint mark && ((entry.Mark ?? 0) & MarkMask) != mark)
        {
            return false;
        }

        if (Protocol is ProtocolType protocol && entry.Original.Protocol != protocol)
        {
            return false;
        }

        return MatchesTuple(entry.Original, OriginalSource, OriginalDestination, OriginalSourcePort, OriginalDestinationPort)
            && MatchesTuple(entry.Reply, ReplySource, ReplyDestination, ReplySourcePort, ReplyDestinationPort);
    }

    private static bool MatchesTuple(ConntrackTuple tuple, IPAddress? source, IPAddress? destination, ushort? sourcePort, ushort? destinationPort) =>
        (source is null || source.Equals(tuple.Source))
        && (destination is null || destination.Equals(tuple.Destination))
        && (sourcePort is null || sourcePort == tuple.SourcePort)
        && (destinationPort is null || destinationPort == tuple.DestinationPort);
}

using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// One direction of a tracked connection (<c>CTA_TUPLE_ORIG</c> or <c>CTA_TUPLE_REPLY</c>): addresses, layer-4 protocol
/// and its identifiers, as <c>conntrack -L</c> prints each half of an entry (<c>src=A dst=B sport=P dport=Q</c>, or
/// <c>type=T code=C id=I</c> for ICMP). Identifiers the protocol does not have are null.
/// </summary>
/// <param name="Source">Source address (<c>CTA_IP_V4_SRC</c> / <c>CTA_IP_V6_SRC</c>).</param>
/// <param name="Destination">Destination address, of the source's family.</param>
/// <param name="Protocol">Layer-4 protocol number (<c>CTA_PROTO_NUM</c>): TCP, UDP, ICMP, ICMPv6, SCTP, ...</param>
public sealed record ConntrackTuple(IPAddress Source, IPAddress Destination, ProtocolType Protocol)
{
    /// <summary>Source port (<c>CTA_PROTO_SRC_PORT</c>) for TCP, UDP, UDP-Lite, SCTP and DCCP.</summary>
    public ushort? SourcePort { get; init; }

    /// <summary>Destination port (<c>CTA_PROTO_DST_PORT</c>) for TCP, UDP, UDP-Lite, SCTP and DCCP.</summary>
    public ushort? DestinationPort { get; init; }

    /// <summary>ICMP or ICMPv6 type (<c>CTA_PROTO_ICMP_TYPE</c> / <c>CTA_PROTO_ICMPV6_TYPE</c>).</summary>
    public byte? IcmpType { get; init; }

    /// <summary>ICMP or ICMPv6 code (<c>CTA_PROTO_ICMP_CODE</c> / <c>CTA_PROTO_ICMPV6_CODE</c>).</summary>
    public byte? IcmpCode { get; init; }

    /// <summary>ICMP or ICMPv6 echo identifier (<c>CTA_PROTO_ICMP_ID</c> / <c>CTA_PROTO_ICMPV6_ID</c>).</summary>
    public ushort? IcmpId { get; init; }

    /// <summary>The tuple's address family (that of <see cref="Source"/>).</summary>
    public AddressFamily Family => Source.AddressFamily;

    /// <summary>A TCP tuple: <c>-p tcp -s SRC --sport SPORT -d DST --dport DPORT</c>.</summary>
    public static ConntrackTuple Tcp(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort) =>
        new(source, destination, ProtocolType.Tcp) { SourcePort = sourcePort, DestinationPort = destinationPort };

    /// <summary>A UDP tuple: <c>-p udp -s SRC --sport SPORT -d DST --dport DPORT</c>.</summary>
    public static ConntrackTuple Udp(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort) =>
        new(source, destination, ProtocolType.Udp) { SourcePort = sourcePort, DestinationPort = destinationPort };

    /// <summary>
    /// An ICMP tuple (ICMPv6 when the addresses are IPv6): <c>-p icmp -s SRC -d DST --icmp-type T --icmp-code C --icmp-id I</c>.
    /// An echo request is type 8 (ICMPv6: 128), code 0.
    /// </summary>
    public static ConntrackTuple Icmp(IPAddress source, IPAddress destination, byte type, byte code, ushort id)
    {
        ArgumentNullException.ThrowIfNull(source);
        ProtocolType protocol = source.AddressFamily == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
        return new(source, destination, protocol) { IcmpType = type, IcmpCode = code, IcmpId = id };
    }

    /// <summary>True for the protocols whose tuples carry ports (TCP, UDP, UDP-Lite, SCTP, DCCP).</summary>
    public static bool HasPorts(ProtocolType protocol) => (int)protocol is 6 or 17 or 33 or 132 or 136;

    /// <summary>True for ICMP and ICMPv6, whose tuples carry type, code and id.</summary>
    public static bool IsIcmp(ProtocolType protocol) => protocol is ProtocolType.Icmp or ProtocolType.IcmpV6;

    /// <summary>
    /// Checks that the kernel can look this tuple up: IPv4 or IPv6 addresses of one family, both ports for a port
    /// protocol, type, code and id for ICMP (the kernel refuses a partial tuple with EINVAL).
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public void Validate(string paramName)
    {
        if (Source is null || Destination is null)
        {
            throw new ArgumentException("A conntrack tuple needs a source and a destination address.", paramName);
        }

        if (Source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) || Source.AddressFamily != Destination.AddressFamily)
        {
            throw new ArgumentException($"The tuple's addresses {Source} and {Destination} must both be IPv4 or both IPv6.", paramName);
        }

        if ((int)Protocol is < 0 or > 255)
        {
            throw new ArgumentException($"{(int)Protocol} is not an IP protocol number (0..255).", paramName);
        }

        if (HasPorts(Protocol) && (SourcePort is null || DestinationPort is null))
        {
            throw new ArgumentException($"A {ProtocolName(Protocol)} tuple needs both ports.", paramName);
        }

        if (IsIcmp(Protocol))
        {
            if (IcmpType is null || IcmpCode is null || IcmpId is null)
            {
                throw new ArgumentException($"An {ProtocolName(Protocol)} tuple needs its type, code and id.", paramName);
            }

            if ((Protocol == ProtocolType.IcmpV6) != (Source.AddressFamily == AddressFamily.InterNetworkV6))
            {
                throw new ArgumentException($"{ProtocolName(Protocol)} does not go with {Source.AddressFamily} addresses.", paramName);
            }
        }
    }

    /// <summary>The tuple as <c>conntrack -L</c> prints it: <c>src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=53</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("src=").Append(Source).Append(" dst=").Append(Destination);
        if (SourcePort is ushort sp)
        {
            sb.Append(" sport=").Append(sp.ToString(CultureInfo.InvariantCulture));
        }

        if (DestinationPort is ushort dp)
        {
            sb.Append(" dport=").Append(dp.ToString(CultureInfo.InvariantCulture));
        }

        if (IcmpType is byte t)
        {
            sb.Append(" type=").Append(t.ToString(CultureInfo.InvariantCulture));
        }

        if (IcmpCode is byte c)
        {
            sb.Append(" code=").Append(c.ToString(CultureInfo.InvariantCulture));
        }

        if (IcmpId is ushort id)
        {
            sb.Append(" id=").Append(id.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>conntrack's name of a protocol: tcp, udp, icmp, icmpv6, sctp, udplite, dccp, gre, or the number.</summary>
    public static string ProtocolName(ProtocolType protocol) => (int)protocol switch
    {
        1 => "icmp",
        6 => "tcp",
        17 => "udp",
        33 => "dccp",
        47 => "gre",
        58 => "icmpv6",
        132 => "sctp",
        136 => "udplite",
        int n => n.ToString(CultureInfo.InvariantCulture),
    };
}

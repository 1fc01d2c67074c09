using System;
using System.Collections.Generic;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Conntrack;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// rtnetlink objects: <see cref="LinkMessages.Parse"/>, <see cref="LinkMessages.TryReadIndexAndName"/>,
/// <see cref="AddressMessages.Parse"/>, <see cref="RouteMessages.TryParse"/> (multipath next hops included),
/// <see cref="NeighbourMessages.TryParse"/>, the event decoder of <see cref="RtnetlinkMonitor"/>, rules, qdiscs and
/// filters (<see cref="RuleMessages"/>, <see cref="TrafficControlMessages"/>) and conntrack entries and events, each decoded
/// object printed (every property read). The same parsers serve <see cref="RtnetlinkClient"/>'s get and list calls.
/// </summary>
internal sealed class RtnetlinkFamily : NetlinkDatagramFamily
{
    private long _sink;

    public RtnetlinkFamily(IReadOnlyList<byte[]> seeds, GuardPage guard)
        : base(seeds, guard)
    {
    }

    public override string Name => "rtnetlink";

    public override string Decoders => "LinkMessages.Parse/TryReadIndexAndName, AddressMessages.Parse, RouteMessages.TryParse (multipath), NeighbourMessages.TryParse, RtnetlinkMonitor.Decode (events), RuleMessages.TryParse, TrafficControlMessages.ParseQdisc/ParseFilter, ConntrackMessages.TryParse, ConntrackMonitor.Decode";

    public override string DocumentedException => nameof(NetlinkDecodeException);

    protected override void Decode(byte[] input)
    {
        ReadOnlySpan<byte> datagram = Guard.Place(input);
        try
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                try
                {
                    if (RtnetlinkMonitor.Decode(message) is { } e)
                    {
                        _sink += e.ToString().Length;
                        if (e.Route?.NextHops is { } hops)
                        {
                            foreach (RouteNextHop hop in hops)
                            {
                                _sink += hop.ToString().Length;
                            }
                        }
                    }
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }

                try
                {
                    _sink += LinkMessages.TryReadIndexAndName(message, out int index, out ReadOnlySpan<byte> name) ? index + name.Length : 0;
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }

                // Rules, qdiscs, filters (rtnetlink) and conntrack entries and events (ctnetlink, the same corpus).
                _sink += Probe(message, static m => RuleMessages.TryParse(m, out RoutingRule? r) ? r!.ToString().Length : 0);
                _sink += Probe(message, static m => TrafficControlMessages.ParseQdisc(m).ToString().Length);
                _sink += Probe(message, static m => TrafficControlMessages.ParseFilter(m).ToString().Length);
                _sink += Probe(message, static m => ConntrackMessages.TryParse(m, out ConntrackEntry? c) ? c!.ToString().Length : 0);
                _sink += Probe(message, static m => ConntrackMonitor.Decode(m)?.ToString().Length ?? 0);

                // The request types (RTM_GET*) and the others have no decoder; a type swap reaches them from here.
                try
                {
                    switch (message.Type & 3)
                    {
                        case 2 when message.Type is >= 16 and < 32:
                            _sink += message.Type switch
                            {
                                18 => LinkMessages.Parse(ReType(message, 16)).ToString().Length,
                                22 => AddressMessages.Parse(ReType(message, 20)).ToString().Length,
                                26 => RouteMessages.TryParse(ReType(message, 24), out Route? r) ? r!.ToString().Length : 0,
                                30 => NeighbourMessages.TryParse(ReType(message, 28), out Neighbour? n) ? n!.ToString().Length : 0,
                                _ => 0,
                            };
                            break;
                    }
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private long Probe(NetlinkMessage message, Func<NetlinkMessage, long> decode)
    {
        try
        {
            return decode(message);
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
            return 0;
        }
    }

    private static NetlinkMessage ReType(NetlinkMessage message, ushort type)
    {
        var header = message.Header;
        header.nlmsg_type = type;
        return new NetlinkMessage(header, message.Payload);
    }
}

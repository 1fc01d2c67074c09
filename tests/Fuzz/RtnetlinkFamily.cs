using System;
using System.Collections.Generic;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// rtnetlink objects: <see cref="LinkMessages.Parse"/>, <see cref="LinkMessages.TryReadIndexAndName"/>,
/// <see cref="AddressMessages.Parse"/>, <see cref="RouteMessages.TryParse"/> (multipath next hops included),
/// <see cref="NeighbourMessages.TryParse"/> and the event decoder of <see cref="RtnetlinkMonitor"/>, each decoded
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

    public override string Decoders => "LinkMessages.Parse/TryReadIndexAndName, AddressMessages.Parse, RouteMessages.TryParse (multipath), NeighbourMessages.TryParse, RtnetlinkMonitor.Decode (events)";

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

    private static NetlinkMessage ReType(NetlinkMessage message, ushort type)
    {
        var header = message.Header;
        header.nlmsg_type = type;
        return new NetlinkMessage(header, message.Payload);
    }
}

using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Watches the link, address, route and neighbour changes of one network namespace, as <c>ip monitor</c> does,
/// and hands them out as an asynchronous stream.
/// </summary>
/// <remarks>
/// <para>
/// A dedicated background thread (not a thread-pool thread) blocks in the socket's receive, decodes each
/// notification and queues it in a bounded buffer of <c>capacity</c> events. When the consumer falls behind,
/// the thread stops reading, the kernel's socket buffer fills up and the kernel drops notifications; the next
/// receive reports that (<c>ENOBUFS</c>), and the stream then yields an event of kind
/// <see cref="RtnetlinkEventKind.Overrun"/> in the place of the lost ones, and goes on. Nothing is lost silently.
/// </para>
/// <para>
/// The stream ends (enumeration completes) when the monitor is disposed; a cancellation token passed to
/// <see cref="ReadAllAsync"/> ends that enumeration with <see cref="OperationCanceledException"/>. A failure of
/// the socket or a malformed notification ends the stream with that exception.
/// </para>
/// <para>
/// The namespace watched is that of the socket: <see cref="Open"/> opens one in the calling thread's
/// namespace; to watch another, create the socket inside it and pass it to the constructor.
/// </para>
/// </remarks>
public sealed class RtnetlinkMonitor : IDisposable
{
    /// <summary>The default number of decoded events buffered for the consumer.</summary>
    public const int DefaultCapacity = 4096;

    private readonly NetlinkSocket _socket;
    private readonly bool _ownsSocket;
    private readonly Channel<RtnetlinkEvent> _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _reader;
    private readonly List<uint> _joined;
    private int _disposed;

    /// <summary>
    /// Subscribes <paramref name="socket"/> to <paramref name="groups"/> and starts reading. Equivalent to the
    /// subscription <c>ip monitor link address route neigh</c> makes. Joining rtnetlink groups needs no capability.
    /// </summary>
    /// <param name="socket">A <see cref="NetlinkProtocol.Route"/> socket, used by nothing else from now on.</param>
    /// <param name="groups">What to watch.</param>
    /// <param name="ownsSocket">Dispose the socket with the monitor; when false, the monitor leaves the groups it joined on
    /// <see cref="Dispose"/>, and a constructor that fails leaves the socket as it was given.</param>
    /// <param name="capacity">How many decoded events to buffer for a slow consumer (at least 1).</param>
    /// <exception cref="ArgumentException">The socket is not an rtnetlink socket, or no group is selected.</exception>
    /// <exception cref="NetlinkException">The kernel refused a subscription.</exception>
    public RtnetlinkMonitor(NetlinkSocket socket, RtnetlinkEventGroups groups = RtnetlinkEventGroups.All, bool ownsSocket = true, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (socket.Protocol != NetlinkProtocol.Route)
        {
            throw new ArgumentException($"An rtnetlink monitor needs a NETLINK_ROUTE socket, not {socket.Protocol}.", nameof(socket));
        }

        if ((groups & RtnetlinkEventGroups.All) == 0 || (groups & ~RtnetlinkEventGroups.All) != 0)
        {
            throw new ArgumentException($"{groups} selects no known rtnetlink group.", nameof(groups));
        }

        _socket = socket;
        _ownsSocket = ownsSocket;
        Groups = groups;
        _joined = Subscribe(socket, groups);
        _channel = Channel.CreateBounded<RtnetlinkEvent>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _reader = new Thread(ReadLoop)
        {
            IsBackground = true,
            Name = "rtnetlink monitor",
        };
        _reader.Start();
    }

    /// <summary>What this monitor watches.</summary>
    public RtnetlinkEventGroups Groups { get; }

    /// <summary>
    /// Opens a monitor on a new socket in the calling thread's network namespace. Equivalent to: <c>ip monitor</c>.
    /// </summary>
    /// <param name="groups">What to watch.</param>
    /// <param name="options">Socket options; a larger <see cref="NetlinkSocketOptions.SocketReceiveBufferSize"/> makes overruns rarer.</param>
    /// <exception cref="NetlinkException">The socket could not be opened or subscribed.</exception>
    public static RtnetlinkMonitor Open(RtnetlinkEventGroups groups = RtnetlinkEventGroups.All, NetlinkSocketOptions? options = null)
    {
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Route, options);
        try
        {
            return new RtnetlinkMonitor(socket, groups, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The events, in the order the kernel sent them, until the monitor is disposed (then the enumeration ends
    /// normally) or <paramref name="cancellationToken"/> is cancelled (then it throws <see cref="OperationCanceledException"/>).
    /// Read it from one consumer at a time.
    /// </summary>
    /// <exception cref="NetlinkException">The socket failed (the stream ends with it).</exception>
    /// <exception cref="NetlinkDecodeException">The kernel sent a malformed notification (the stream ends with it).</exception>
    public IAsyncEnumerable<RtnetlinkEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Waits for the next event; throws <see cref="ChannelClosedException"/> once the monitor is disposed.</summary>
    public ValueTask<RtnetlinkEvent> ReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAsync(cancellationToken);

    /// <summary>Takes the next event if one is waiting.</summary>
    public bool TryRead(out RtnetlinkEvent? rtnetlinkEvent) => _channel.Reader.TryRead(out rtnetlinkEvent);

    /// <summary>Stops the reader thread, ends the stream and closes the socket if owned (else leaves the groups it joined). Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        if (_ownsSocket)
        {
            _socket.Dispose();
            _reader.Join();
        }
        else
        {
            // A socket we do not own cannot be closed to wake the reader; it notices the stop within 200 ms. The
            // socket goes back to its owner without the subscriptions this monitor made.
            _reader.Join();
            Unsubscribe(_socket, _joined);
        }

        _channel.Writer.TryComplete();
        _stopping.Dispose();
    }

    /// <summary>The rtnetlink group of each <see cref="RtnetlinkEventGroups"/> flag, in the order they are joined.</summary>
    private static readonly (RtnetlinkEventGroups Flag, uint Group)[] GroupNumbers =
    [
        (RtnetlinkEventGroups.Links, Rtnlgrp.RTNLGRP_LINK),
        (RtnetlinkEventGroups.IPv4Addresses, Rtnlgrp.RTNLGRP_IPV4_IFADDR),
        (RtnetlinkEventGroups.IPv6Addresses, Rtnlgrp.RTNLGRP_IPV6_IFADDR),
        (RtnetlinkEventGroups.IPv4Routes, Rtnlgrp.RTNLGRP_IPV4_ROUTE),
        (RtnetlinkEventGroups.IPv6Routes, Rtnlgrp.RTNLGRP_IPV6_ROUTE),
        (RtnetlinkEventGroups.Neighbours, Rtnlgrp.RTNLGRP_NEIGH),
    ];

    /// <summary>Joins the selected groups; when one join fails, leaves the ones joined before it, so that a caller's
    /// socket comes back as it was given.</summary>
    private static List<uint> Subscribe(NetlinkSocket socket, RtnetlinkEventGroups selected)
    {
        var joined = new List<uint>();
        try
        {
            foreach ((RtnetlinkEventGroups flag, uint group) in GroupNumbers)
            {
                if ((selected & flag) != 0)
                {
                    socket.JoinGroup(group);
                    joined.Add(group);
                }
            }

            return joined;
        }
        catch
        {
            Unsubscribe(socket, joined);
            throw;
        }
    }

    /// <summary>Leaves <paramref name="joined"/>, last first; a socket the caller closed meanwhile has nothing to leave.</summary>
    private static void Unsubscribe(NetlinkSocket socket, List<uint> joined)
    {
        for (int i = joined.Count - 1; i >= 0; i--)
        {
            try
            {
                socket.LeaveGroup(joined[i]);
            }
            catch (Exception e) when (e is NetlinkException or ObjectDisposedException)
            {
                // Leaving cannot fail for a group the socket is in; a closed socket is in none.
            }
        }
    }

    private void ReadLoop()
    {
        var pending = new List<RtnetlinkEvent>();
        int timeout = _ownsSocket ? -1 : 200;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                pending.Clear();
                try
                {
                    foreach (NetlinkMessage message in _socket.ReceiveEvents(timeout))
                    {
                        if (Decode(message) is RtnetlinkEvent e)
                        {
                            pending.Add(e);
                        }
                    }
                }
                catch (NetlinkOverrunException)
                {
                    pending.Add(RtnetlinkEvent.Overrun);
                }

                foreach (RtnetlinkEvent e in pending)
                {
                    // Blocking here is the back-pressure: the kernel's buffer then fills and overruns are reported.
                    _channel.Writer.WriteAsync(e, _stopping.Token).AsTask().GetAwaiter().GetResult();
                }
            }

            _channel.Writer.TryComplete();
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException && _stopping.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _channel.Writer.TryComplete(e);
        }
    }

    internal static RtnetlinkEvent? Decode(NetlinkMessage message)
    {
        switch (message.Type)
        {
            case Rtm.RTM_NEWLINK:
                return new RtnetlinkEvent(RtnetlinkEventKind.LinkChanged, Link: LinkMessages.Parse(message));
            case Rtm.RTM_DELLINK:
                return new RtnetlinkEvent(RtnetlinkEventKind.LinkDeleted, Link: LinkMessages.Parse(message));
            case Rtm.RTM_NEWADDR:
                return new RtnetlinkEvent(RtnetlinkEventKind.AddressAdded, Address: AddressMessages.Parse(message));
            case Rtm.RTM_DELADDR:
                return new RtnetlinkEvent(RtnetlinkEventKind.AddressDeleted, Address: AddressMessages.Parse(message));
            case Rtm.RTM_NEWROUTE:
            case Rtm.RTM_DELROUTE:
                return RouteMessages.TryParse(message, out Route? route)
                    ? new RtnetlinkEvent(message.Type == Rtm.RTM_NEWROUTE ? RtnetlinkEventKind.RouteAdded : RtnetlinkEventKind.RouteDeleted, Route: route)
                    : null;
            case Rtm.RTM_NEWNEIGH:
            case Rtm.RTM_DELNEIGH:
                return NeighbourMessages.TryParse(message, out Neighbour? neighbour)
                    ? new RtnetlinkEvent(message.Type == Rtm.RTM_NEWNEIGH ? RtnetlinkEventKind.NeighbourChanged : RtnetlinkEventKind.NeighbourDeleted, Neighbour: neighbour)
                    : null;
            default:
                return null;
        }
    }
}

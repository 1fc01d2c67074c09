using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using static LinuxIsolation.Netlink.Conntrack.Native.Ctnetlink;

namespace LinuxIsolation.Netlink.Conntrack;

/// <summary>
/// Watches the connection tracking table of one network namespace, as <c>conntrack -E</c> does, and hands the
/// notifications out as an asynchronous stream of <see cref="ConntrackEvent"/>s.
/// </summary>
/// <remarks>
/// <para>
/// A dedicated background thread (not a thread-pool thread) blocks in the socket's receive, decodes each notification
/// and queues it in a bounded buffer of <c>capacity</c> events. When the consumer falls behind, the thread stops
/// reading, the kernel's socket buffer fills up and the kernel drops notifications; the next receive reports that
/// (<c>ENOBUFS</c>), and the stream then yields an event of kind <see cref="ConntrackEventKind.Overrun"/> in the place
/// of the lost ones, and goes on. Nothing is lost silently. The kernel reports one <c>ENOBUFS</c> per congestion: every
/// notification it drops until the monitor has read the socket's queue empty is covered by that one Overrun (after one,
/// re-read the table with <see cref="ConntrackClient.ListEntries"/> if you keep a copy). Conntrack produces events at packet rate: give the socket a
/// large <see cref="NetlinkSocketOptions.SocketReceiveBufferSize"/> when the namespace is busy.
/// </para>
/// <para>
/// The stream ends when the monitor is disposed; a cancellation token passed to <see cref="ReadAllAsync"/> ends that
/// enumeration with <see cref="OperationCanceledException"/>. A failure of the socket or a malformed notification ends
/// the stream with that exception.
/// </para>
/// <para>
/// Joining the conntrack groups needs CAP_NET_ADMIN. The kernel sends events only while
/// <c>net.netfilter.nf_conntrack_events</c> is 1, or 2 (the default since Linux 5.18: on while someone listens).
/// The namespace watched is that of the socket.
/// </para>
/// </remarks>
public sealed class ConntrackMonitor : IDisposable
{
    /// <summary>The default number of decoded events buffered for the consumer.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>The conntrack group of each <see cref="ConntrackEventGroups"/> flag, in the order they are joined.</summary>
    private static readonly (ConntrackEventGroups Flag, uint Group)[] GroupNumbers =
    [
        (ConntrackEventGroups.New, NFNLGRP_CONNTRACK_NEW),
        (ConntrackEventGroups.Update, NFNLGRP_CONNTRACK_UPDATE),
        (ConntrackEventGroups.Destroy, NFNLGRP_CONNTRACK_DESTROY),
    ];

    private readonly NetlinkSocket _socket;
    private readonly bool _ownsSocket;
    private readonly Channel<ConntrackEvent> _channel;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _reader;
    private readonly List<uint> _joined;
    private int _disposed;

    /// <summary>
    /// Subscribes <paramref name="socket"/> to <paramref name="groups"/> and starts reading. Equivalent to the
    /// subscription <c>conntrack -E [-e NEW,UPDATES,DESTROY]</c> makes. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <param name="socket">A <see cref="NetlinkProtocol.Netfilter"/> socket, used by nothing else from now on.</param>
    /// <param name="groups">What to watch.</param>
    /// <param name="ownsSocket">Dispose the socket with the monitor; when false, the monitor leaves the groups it joined on
    /// <see cref="Dispose"/>, and a constructor that fails leaves the socket as it was given.</param>
    /// <param name="capacity">How many decoded events to buffer for a slow consumer (at least 1).</param>
    /// <exception cref="ArgumentException">The socket is not a netfilter socket, or no group is selected.</exception>
    /// <exception cref="NetlinkException">The kernel refused a subscription (EPERM without CAP_NET_ADMIN).</exception>
    public ConntrackMonitor(NetlinkSocket socket, ConntrackEventGroups groups = ConntrackEventGroups.All, bool ownsSocket = true, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (socket.Protocol != NetlinkProtocol.Netfilter)
        {
            throw new ArgumentException($"A conntrack monitor needs a NETLINK_NETFILTER socket, not {socket.Protocol}.", nameof(socket));
        }

        if ((groups & ConntrackEventGroups.All) == 0 || (groups & ~ConntrackEventGroups.All) != 0)
        {
            throw new ArgumentException($"{groups} selects no known conntrack group.", nameof(groups));
        }

        _socket = socket;
        _ownsSocket = ownsSocket;
        Groups = groups;
        _joined = Subscribe(socket, groups);
        _channel = Channel.CreateBounded<ConntrackEvent>(new BoundedChannelOptions(capacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _reader = new Thread(ReadLoop)
        {
            IsBackground = true,
            Name = "conntrack monitor",
        };
        _reader.Start();
    }

    /// <summary>What this monitor watches.</summary>
    public ConntrackEventGroups Groups { get; }

    /// <summary>Opens a monitor on a new socket in the calling thread's network namespace. Equivalent to: <c>conntrack -E</c>. Needs CAP_NET_ADMIN.</summary>
    /// <param name="groups">What to watch.</param>
    /// <param name="options">Socket options; a larger <see cref="NetlinkSocketOptions.SocketReceiveBufferSize"/> makes overruns rarer.</param>
    /// <exception cref="NetlinkException">The socket could not be opened or subscribed.</exception>
    public static ConntrackMonitor Open(ConntrackEventGroups groups = ConntrackEventGroups.All, NetlinkSocketOptions? options = null)
    {
        NetlinkSocket socket = NetlinkSocket.Open(NetlinkProtocol.Netfilter, options);
        try
        {
            return new ConntrackMonitor(socket, groups, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The events, in the order the kernel sent them, until the monitor is disposed (then the enumeration ends normally)
    /// or <paramref name="cancellationToken"/> is cancelled (then it throws <see cref="OperationCanceledException"/>).
    /// Read it from one consumer at a time.
    /// </summary>
    /// <exception cref="NetlinkException">The socket failed (the stream ends with it).</exception>
    /// <exception cref="NetlinkDecodeException">The kernel sent a malformed notification (the stream ends with it).</exception>
    public IAsyncEnumerable<ConntrackEvent> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Waits for the next event; throws <see cref="ChannelClosedException"/> once the monitor is disposed.</summary>
    public ValueTask<ConntrackEvent> ReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAsync(cancellationToken);

    /// <summary>Takes the next event if one is waiting.</summary>
    public bool TryRead(out ConntrackEvent? conntrackEvent) => _channel.Reader.TryRead(out conntrackEvent);

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
            // A socket we do not own cannot be closed to wake the reader; it notices the stop within 200 ms.
            _reader.Join();
            Unsubscribe(_socket, _joined);
        }

        _channel.Writer.TryComplete();
        _stopping.Dispose();
    }

    /// <summary>Decodes one notification; null for a message that is not a conntrack entry event.</summary>
    /// <exception cref="NetlinkDecodeException">The notification is malformed.</exception>
    internal static ConntrackEvent? Decode(NetlinkMessage message)
    {
        if (message.Type == Type(IPCTNL_MSG_CT_DELETE))
        {
            return new ConntrackEvent(ConntrackEventKind.Destroy, ConntrackMessages.Parse(message));
        }

        if (message.Type == Type(IPCTNL_MSG_CT_NEW))
        {
            // The kernel flags the notification of a new connection NLM_F_CREATE | NLM_F_EXCL; updates carry neither.
            bool created = (message.Flags & NetlinkMessageFlags.Create) != 0;
            return new ConntrackEvent(created ? ConntrackEventKind.New : ConntrackEventKind.Update, ConntrackMessages.Parse(message));
        }

        return null;
    }

    private static List<uint> Subscribe(NetlinkSocket socket, ConntrackEventGroups selected)
    {
        var joined = new List<uint>();
        try
        {
            foreach ((ConntrackEventGroups flag, uint group) in GroupNumbers)
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
        var pending = new List<ConntrackEvent>();
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
                        if (Decode(message) is ConntrackEvent e)
                        {
                            pending.Add(e);
                        }
                    }
                }
                catch (NetlinkOverrunException)
                {
                    pending.Add(ConntrackEvent.Overrun);
                }

                foreach (ConntrackEvent e in pending)
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
}

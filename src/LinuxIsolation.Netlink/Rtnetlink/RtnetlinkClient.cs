using System;
using System.Threading;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// An rtnetlink client: links, addresses, routes and neighbours of one network namespace, the one in which
/// its socket was created.
/// </summary>
/// <remarks>
/// Thread-safe: calls from several threads are serialised on the one socket. Changes need CAP_NET_ADMIN in
/// the user namespace that owns the network namespace; queries need no capability.
/// </remarks>
public sealed partial class RtnetlinkClient : IDisposable
{
    private readonly object _gate = new();
    private readonly bool _ownsSocket;
    private readonly NetlinkRequests _requests;

    /// <summary>Wraps an open <see cref="NetlinkProtocol.Route"/> socket.</summary>
    /// <param name="socket">The socket; its network namespace is the one this client works in.</param>
    /// <param name="ownsSocket">Dispose the socket with the client.</param>
    public RtnetlinkClient(NetlinkSocket socket, bool ownsSocket = true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.Protocol != NetlinkProtocol.Route)
        {
            throw new ArgumentException($"An rtnetlink client needs a NETLINK_ROUTE socket, not {socket.Protocol}.", nameof(socket));
        }

        Socket = socket;
        _ownsSocket = ownsSocket;
        _requests = new NetlinkRequests(socket, _gate);
    }

    /// <summary>The underlying socket.</summary>
    public NetlinkSocket Socket { get; }

    /// <summary>Opens a client in the calling thread's network namespace.</summary>
    /// <exception cref="NetlinkException">The socket could not be opened.</exception>
    public static RtnetlinkClient Open(NetlinkSocketOptions? options = null) =>
        new(NetlinkSocket.Open(NetlinkProtocol.Route, options), ownsSocket: true);

    /// <summary>Disposes the socket if the client owns it.</summary>
    public void Dispose()
    {
        if (_ownsSocket)
        {
            Socket.Dispose();
        }
    }
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using LinuxIsolation.Netlink.Transport;

namespace LinuxIsolation.Netlink;

/// <summary>
/// A netlink socket (<c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)</c>) bound with a
/// kernel-assigned port id, with request/ACK, dump, pipelined and event exchanges.
/// </summary>
/// <remarks>
/// <para>
/// <b>Thread safety.</b> One exchange at a time: a request, a dump being read or an event receive. A second
/// exchange started while one is in progress, from any thread, throws <see cref="InvalidOperationException"/>;
/// share a socket between threads only under a lock (the protocol clients do this), or open one per thread.
/// <see cref="Dispose"/> may be called from any thread at any time: it wakes a receive blocked in another
/// thread, which then throws <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// <b>Namespaces.</b> The socket belongs to the network namespace of the thread that created it and stays
/// there for its whole life, whichever thread uses it later.
/// </para>
/// <para>
/// Only datagrams from the kernel (sender port id 0) are accepted. Replies are matched to requests by
/// sequence number; a reply to an abandoned earlier exchange is discarded.
/// </para>
/// </remarks>
public sealed partial class NetlinkSocket : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly NetlinkSocketOptions _options;
    private uint _nextSequence;
    private int _busy;
    private volatile bool _disposed;

    internal NetlinkSocket(INetlinkTransport transport, NetlinkProtocol protocol, NetlinkSocketOptions options)
    {
        _transport = transport;
        _options = options;
        Protocol = protocol;
        _nextSequence = (uint)Environment.TickCount | 1;
    }

    /// <summary>The netlink protocol of this socket.</summary>
    public NetlinkProtocol Protocol { get; }

    /// <summary>The port id the kernel assigned when the socket was bound (<c>nl_pid</c>).</summary>
    public uint PortId => _transport.PortId;

    /// <summary>The socket's file descriptor. Closing it other than through <see cref="Dispose"/> is an error.</summary>
    /// <exception cref="NotSupportedException">The socket runs over a test transport.</exception>
    public SafeFileDescriptor Handle => (_transport as KernelNetlinkTransport)?.Handle
        ?? throw new NotSupportedException("This NetlinkSocket runs over a test transport and has no descriptor.");

    /// <summary>
    /// Opens and binds a netlink socket in the calling thread's network namespace.
    /// Equivalent to <c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)</c> then <c>bind</c> with port id 0.
    /// </summary>
    /// <param name="protocol">The netlink protocol, e.g. <see cref="NetlinkProtocol.Route"/>.</param>
    /// <param name="options">Socket options; null for <see cref="NetlinkSocketOptions.Default"/>.</param>
    /// <exception cref="NetlinkException">A syscall failed (e.g. <c>EPROTONOSUPPORT</c> for a protocol this kernel lacks).</exception>
    public static NetlinkSocket Open(NetlinkProtocol protocol, NetlinkSocketOptions? options = null)
    {
        options ??= NetlinkSocketOptions.Default;
        if (options.ReceiveBufferSize < NetlinkSocketOptions.DefaultReceiveBufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be at least 32 KiB.");
        }

        return new NetlinkSocket(KernelNetlinkTransport.Open(protocol, options), protocol, options);
    }

    /// <summary>
    /// Makes a <see cref="NetlinkSocket"/> of an unbound <c>AF_NETLINK</c> socket of <paramref name="protocol"/> created
    /// elsewhere, e.g. inside another network namespace (the socket stays in the namespace it was created in, so
    /// <c>LinuxIsolation</c>'s <c>NetworkNamespace.OpenNetlinkSocket</c> creates one there and hands it to this): sets
    /// the options, binds it with a kernel-assigned port id, and owns it from then on. The descriptor should be
    /// close-on-exec (<c>SOCK_CLOEXEC</c>). On failure the descriptor is disposed.
    /// Equivalent to what <see cref="Open"/> does after its <c>socket(2)</c> call.
    /// </summary>
    /// <param name="socket">The socket's descriptor; owned by the new <see cref="NetlinkSocket"/> (disposed with it, or on failure).</param>
    /// <param name="protocol">The socket's netlink protocol (checked against <c>SO_PROTOCOL</c>).</param>
    /// <param name="options">Socket options; null for <see cref="NetlinkSocketOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="socket"/> is null.</exception>
    /// <exception cref="ArgumentException">The descriptor is closed or invalid, not an <c>AF_NETLINK</c> socket, or of another protocol.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options' receive buffer is under 32 KiB.</exception>
    /// <exception cref="NetlinkException">Setting an option or binding failed.</exception>
    public static NetlinkSocket FromDescriptor(SafeFileDescriptor socket, NetlinkProtocol protocol, NetlinkSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        options ??= NetlinkSocketOptions.Default;
        try
        {
            if (socket.IsClosed || socket.IsInvalid)
            {
                throw new ArgumentException("The socket descriptor is closed or invalid.", nameof(socket));
            }

            if (options.ReceiveBufferSize < NetlinkSocketOptions.DefaultReceiveBufferSize)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be at least 32 KiB.");
            }

            KernelNetlinkTransport.CheckSocket(socket, protocol);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new NetlinkSocket(KernelNetlinkTransport.Configure(socket, options), protocol, options);
    }

    /// <summary>
    /// Closes the socket. A receive blocked in another thread wakes and throws <see cref="ObjectDisposedException"/>;
    /// the descriptor is closed once no call is using it.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        _transport.Dispose();
    }

    internal static NetlinkException LastError(string operation) =>
        new(Marshal.GetLastPInvokeError(), operation);

    private void Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            throw new InvalidOperationException("Another exchange is in progress on this NetlinkSocket: use one exchange at a time per socket (lock around it, or open a socket per thread).");
        }
    }

    private void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>Assigns sequence numbers to the messages in <paramref name="messages"/>; returns the first and the count.</summary>
    private uint Stamp(Span<byte> messages, bool forceAck, out int count)
    {
        uint first = _nextSequence;
        uint sequence = first;
        int offset = 0;
        count = 0;
        while (offset < messages.Length)
        {
            if (messages.Length - offset < NetlinkWriter.MessageHeaderSize)
            {
                throw new ArgumentException("The request buffer ends with a truncated netlink header.", nameof(messages));
            }

            ref byte start = ref messages[offset];
            uint length = Unsafe.ReadUnaligned<uint>(ref start);
            if (length < NetlinkWriter.MessageHeaderSize || length > (uint)(messages.Length - offset))
            {
                throw new ArgumentException($"The request at offset {offset} has length {length}, outside the buffer: was EndMessage called?", nameof(messages));
            }

            ushort flags = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, 6));
            flags |= (ushort)NetlinkMessageFlags.Request;
            if (forceAck && (flags & (ushort)NetlinkMessageFlags.Dump) != (ushort)NetlinkMessageFlags.Dump)
            {
                flags |= (ushort)NetlinkMessageFlags.Ack;
            }

            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 6), flags);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 8), sequence);
            sequence++;
            count++;
            offset += NetlinkWriter.Align((int)length);
        }

        if (count == 0)
        {
            throw new ArgumentException("The request buffer holds no netlink message.", nameof(messages));
        }

        _nextSequence = sequence == 0 ? 1 : sequence;
        return first;
    }

    private void SendRaw(ReadOnlySpan<byte> data) => _transport.Send(data);

    private ReadOnlySpan<byte> ReceiveDatagram(int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _transport.Receive(timeoutMilliseconds);
    }

    private int ReplyTimeoutMilliseconds =>
        _options.ReplyTimeout is TimeSpan t ? (int)Math.Clamp(t.TotalMilliseconds, 0, int.MaxValue) : -1;
}

using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

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
    private readonly SafeFileDescriptor _handle;
    private readonly SafeFileDescriptor _wakeup;
    private readonly NetlinkSocketOptions _options;
    private byte[] _receiveBuffer;
    private uint _nextSequence;
    private int _busy;
    private volatile bool _disposed;

    private NetlinkSocket(SafeFileDescriptor handle, SafeFileDescriptor wakeup, NetlinkProtocol protocol, uint portId, NetlinkSocketOptions options)
    {
        _handle = handle;
        _wakeup = wakeup;
        _options = options;
        Protocol = protocol;
        PortId = portId;
        _receiveBuffer = GC.AllocateUninitializedArray<byte>(Math.Max(options.ReceiveBufferSize, NetlinkSocketOptions.DefaultReceiveBufferSize), pinned: true);
        _nextSequence = (uint)Environment.TickCount | 1;
    }

    /// <summary>The netlink protocol of this socket.</summary>
    public NetlinkProtocol Protocol { get; }

    /// <summary>The port id the kernel assigned when the socket was bound (<c>nl_pid</c>).</summary>
    public uint PortId { get; }

    /// <summary>The socket's file descriptor. Closing it other than through <see cref="Dispose"/> is an error.</summary>
    public SafeFileDescriptor Handle => _handle;

    /// <summary>The current size of the receive buffer; it grows when a larger datagram arrives.</summary>
    public int ReceiveBufferSize => _receiveBuffer.Length;

    /// <summary>
    /// Opens and binds a netlink socket in the calling thread's network namespace.
    /// Equivalent to <c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)</c> then <c>bind</c> with port id 0.
    /// </summary>
    /// <param name="protocol">The netlink protocol, e.g. <see cref="NetlinkProtocol.Route"/>.</param>
    /// <param name="options">Socket options; null for <see cref="NetlinkSocketOptions.Default"/>.</param>
    /// <exception cref="NetlinkException">A syscall failed (e.g. <c>EPROTONOSUPPORT</c> for a protocol this kernel lacks).</exception>
    public static unsafe NetlinkSocket Open(NetlinkProtocol protocol, NetlinkSocketOptions? options = null)
    {
        options ??= NetlinkSocketOptions.Default;
        if (options.ReceiveBufferSize < NetlinkSocketOptions.DefaultReceiveBufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be at least 32 KiB.");
        }

        int fd = Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, (int)protocol);
        if (fd < 0)
        {
            throw LastError($"socket(AF_NETLINK, {protocol})");
        }

        return Configure(new SafeFileDescriptor(fd, ownsHandle: true), protocol, options);
    }

    /// <summary>
    /// Takes ownership of an unbound <c>AF_NETLINK</c> socket of <paramref name="protocol"/> created elsewhere (e.g.
    /// by a dedicated thread inside another network namespace, which then only has to make the one
    /// <c>socket(2)</c> call there), sets the options and binds it. Disposes <paramref name="handle"/> on failure.
    /// </summary>
    internal static unsafe NetlinkSocket Configure(SafeFileDescriptor handle, NetlinkProtocol protocol, NetlinkSocketOptions? options)
    {
        options ??= NetlinkSocketOptions.Default;
        SafeFileDescriptor? wakeup = null;
        try
        {
            if (options.ReceiveBufferSize < NetlinkSocketOptions.DefaultReceiveBufferSize)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.ReceiveBufferSize, "ReceiveBufferSize must be at least 32 KiB.");
            }

            if (options.ExtendedAck)
            {
                SetOption(handle, Interop.SOL_NETLINK, Interop.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            }

            if (options.CapAck)
            {
                SetOption(handle, Interop.SOL_NETLINK, Interop.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            }

            if (options.StrictChecking)
            {
                SetOption(handle, Interop.SOL_NETLINK, Interop.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            }

            if (options.SocketReceiveBufferSize is int rcvbuf)
            {
                int value = rcvbuf;
                if (Interop.setsockopt(handle, Interop.SOL_SOCKET, Interop.SO_RCVBUFFORCE, &value, sizeof(int)) != 0)
                {
                    SetOption(handle, Interop.SOL_SOCKET, Interop.SO_RCVBUF, rcvbuf, "SO_RCVBUF");
                }
            }

            var address = new Interop.sockaddr_nl { nl_family = Interop.AF_NETLINK };
            if (Interop.bind(handle, &address, (uint)sizeof(Interop.sockaddr_nl)) != 0)
            {
                throw LastError("bind(AF_NETLINK)");
            }

            uint length = (uint)sizeof(Interop.sockaddr_nl);
            if (Interop.getsockname(handle, &address, &length) != 0)
            {
                throw LastError("getsockname(AF_NETLINK)");
            }

            int efd = Interop.eventfd(0, Interop.EFD_CLOEXEC | Interop.EFD_NONBLOCK);
            if (efd < 0)
            {
                throw LastError("eventfd");
            }

            wakeup = new SafeFileDescriptor(efd, ownsHandle: true);
            return new NetlinkSocket(handle, wakeup, protocol, address.nl_pid, options);
        }
        catch
        {
            wakeup?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Closes the socket. A receive blocked in another thread wakes and throws <see cref="ObjectDisposedException"/>;
    /// the descriptor is closed once no call is using it.
    /// </summary>
    public unsafe void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ulong one = 1;
        bool added = false;
        try
        {
            _wakeup.DangerousAddRef(ref added);
            _ = Interop.write(_wakeup, &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nobody is waiting.
        }
        finally
        {
            if (added)
            {
                _wakeup.DangerousRelease();
            }
        }

        _handle.Dispose();
        _wakeup.Dispose();
    }

    internal static NetlinkException LastError(string operation) =>
        new(Marshal.GetLastPInvokeError(), operation);

    private static unsafe void SetOption(SafeFileDescriptor handle, int level, int name, int value, string optionName)
    {
        if (Interop.setsockopt(handle, level, name, &value, sizeof(int)) != 0)
        {
            throw LastError($"setsockopt({optionName})");
        }
    }

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

    private unsafe void SendRaw(ReadOnlySpan<byte> data)
    {
        var kernel = new Interop.sockaddr_nl { nl_family = Interop.AF_NETLINK };
        fixed (byte* p = data)
        {
            while (true)
            {
                nint sent = Interop.sendto(_handle, p, (nuint)data.Length, 0, &kernel, (uint)sizeof(Interop.sockaddr_nl));
                if (sent >= 0)
                {
                    return;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new NetlinkException(errno, "sendto(AF_NETLINK)");
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram from the kernel into the reused receive buffer. Returns an empty span when
    /// <paramref name="timeoutMilliseconds"/> expires (negative: wait indefinitely).
    /// </summary>
    private unsafe ReadOnlySpan<byte> ReceiveDatagram(int timeoutMilliseconds)
    {
        var from = new Interop.sockaddr_nl();
        var iov = new Interop.iovec();
        var msg = new Interop.msghdr
        {
            msg_name = &from,
            msg_namelen = (uint)sizeof(Interop.sockaddr_nl),
            msg_iov = &iov,
            msg_iovlen = 1,
        };

        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Learn the datagram's size first (MSG_PEEK | MSG_TRUNC with no buffer), so a datagram larger
            // than the buffer grows the buffer instead of being cut short.
            iov.iov_base = null;
            iov.iov_len = 0;
            nint size = Interop.recvmsg(_handle, &msg, Interop.MSG_PEEK | Interop.MSG_TRUNC | Interop.MSG_DONTWAIT);
            if (size < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EAGAIN)
                {
                    if (!WaitReadable(timeoutMilliseconds))
                    {
                        return default;
                    }

                    continue;
                }

                if (errno == Errno.ENOBUFS)
                {
                    throw new NetlinkOverrunException();
                }

                throw new NetlinkException(errno, "recvmsg(AF_NETLINK)");
            }

            if (size > _receiveBuffer.Length)
            {
                _receiveBuffer = GC.AllocateUninitializedArray<byte>(NetlinkWriter.Align((int)size), pinned: true);
            }

            byte[] buffer = _receiveBuffer;
            iov.iov_base = Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
            iov.iov_len = (nuint)buffer.Length;
            msg.msg_namelen = (uint)sizeof(Interop.sockaddr_nl);
            nint received = Interop.recvmsg(_handle, &msg, Interop.MSG_DONTWAIT);
            if (received < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is Errno.EINTR or Errno.EAGAIN)
                {
                    continue;
                }

                if (errno == Errno.ENOBUFS)
                {
                    throw new NetlinkOverrunException();
                }

                throw new NetlinkException(errno, "recvmsg(AF_NETLINK)");
            }

            if (from.nl_pid != 0)
            {
                // Only the kernel speaks to this socket; anything else is dropped.
                continue;
            }

            return new ReadOnlySpan<byte>(buffer, 0, (int)Math.Min(received, buffer.Length));
        }
    }

    /// <summary>Waits until the socket is readable; false on timeout. Throws if the socket is disposed meanwhile.</summary>
    private unsafe bool WaitReadable(int timeoutMilliseconds)
    {
        bool socketAdded = false;
        bool wakeupAdded = false;
        try
        {
            _handle.DangerousAddRef(ref socketAdded);
            _wakeup.DangerousAddRef(ref wakeupAdded);
            Interop.pollfd* fds = stackalloc Interop.pollfd[2];
            fds[0] = new Interop.pollfd { fd = _handle.DangerousFileDescriptor, events = Interop.POLLIN };
            fds[1] = new Interop.pollfd { fd = _wakeup.DangerousFileDescriptor, events = Interop.POLLIN };
            while (true)
            {
                int ready = Interop.poll(fds, 2, timeoutMilliseconds);
                if (ready < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new NetlinkException(errno, "poll(AF_NETLINK)");
                }

                ObjectDisposedException.ThrowIf(fds[1].revents != 0 || _disposed, this);

                return ready > 0;
            }
        }
        finally
        {
            if (wakeupAdded)
            {
                _wakeup.DangerousRelease();
            }

            if (socketAdded)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private int ReplyTimeoutMilliseconds =>
        _options.ReplyTimeout is TimeSpan t ? (int)Math.Clamp(t.TotalMilliseconds, 0, int.MaxValue) : -1;
}

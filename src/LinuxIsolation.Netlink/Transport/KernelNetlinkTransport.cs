using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Transport;

/// <summary>
/// The kernel's netlink socket: <c>socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)</c>, bound with a
/// kernel-assigned port id, received into a reused pinned buffer, with an eventfd that wakes a blocked
/// receive on dispose.
/// </summary>
internal sealed class KernelNetlinkTransport : INetlinkTransport
{
    private readonly SafeFileDescriptor _handle;
    private readonly SafeFileDescriptor _wakeup;
    private byte[] _receiveBuffer;
    private volatile bool _disposed;

    private KernelNetlinkTransport(SafeFileDescriptor handle, SafeFileDescriptor wakeup, uint portId, int receiveBufferSize)
    {
        _handle = handle;
        _wakeup = wakeup;
        PortId = portId;
        _receiveBuffer = GC.AllocateUninitializedArray<byte>(receiveBufferSize, pinned: true);
    }

    public uint PortId { get; }

    public SafeFileDescriptor Handle => _handle;

    public int ReceiveBufferSize => _receiveBuffer.Length;

    public static unsafe KernelNetlinkTransport Open(NetlinkProtocol protocol, NetlinkSocketOptions options)
    {
        int fd = Interop.socket(Interop.AF_NETLINK, Interop.SOCK_RAW | Interop.SOCK_CLOEXEC, (int)protocol);
        if (fd < 0)
        {
            throw NetlinkSocket.LastError($"socket(AF_NETLINK, {protocol})");
        }

        return Configure(new SafeFileDescriptor(fd, ownsHandle: true), options);
    }

    /// <summary>
    /// Takes ownership of an unbound <c>AF_NETLINK</c> socket created elsewhere (e.g. inside another network
    /// namespace), sets the options and binds it. Disposes <paramref name="handle"/> on failure.
    /// </summary>
    public static unsafe KernelNetlinkTransport Configure(SafeFileDescriptor handle, NetlinkSocketOptions options)
    {
        SafeFileDescriptor? wakeup = null;
        try
        {
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
                throw NetlinkSocket.LastError("bind(AF_NETLINK)");
            }

            uint length = (uint)sizeof(Interop.sockaddr_nl);
            if (Interop.getsockname(handle, &address, &length) != 0)
            {
                throw NetlinkSocket.LastError("getsockname(AF_NETLINK)");
            }

            int efd = Interop.eventfd(0, Interop.EFD_CLOEXEC | Interop.EFD_NONBLOCK);
            if (efd < 0)
            {
                throw NetlinkSocket.LastError("eventfd");
            }

            wakeup = new SafeFileDescriptor(efd, ownsHandle: true);
            return new KernelNetlinkTransport(handle, wakeup, address.nl_pid, options.ReceiveBufferSize);
        }
        catch
        {
            wakeup?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="socket"/> is an <c>AF_NETLINK</c> socket of <paramref name="protocol"/> (<c>SO_DOMAIN</c>, <c>SO_PROTOCOL</c>).</summary>
    public static unsafe void CheckSocket(SafeFileDescriptor socket, NetlinkProtocol protocol)
    {
        int domain = 0, actual = 0;
        uint length = sizeof(int);
        if (Interop.getsockopt(socket, Interop.SOL_SOCKET, Interop.SO_DOMAIN, &domain, &length) != 0 || domain != Interop.AF_NETLINK)
        {
            throw new ArgumentException("The descriptor is not an AF_NETLINK socket.", nameof(socket));
        }

        length = sizeof(int);
        if (Interop.getsockopt(socket, Interop.SOL_SOCKET, Interop.SO_PROTOCOL, &actual, &length) != 0 || actual != (int)protocol)
        {
            throw new ArgumentException($"The socket's netlink protocol is {actual}, not {protocol} ({(int)protocol}).", nameof(socket));
        }
    }

    public void SetOption(int level, int name, int value, string optionName) => SetOption(_handle, level, name, value, optionName);

    public unsafe bool TrySetOption(int level, int name, int value) =>
        Interop.setsockopt(_handle, level, name, &value, sizeof(int)) == 0;

    public unsafe bool TryGetOption(int level, int name, out int value)
    {
        int result = 0;
        uint length = sizeof(int);
        bool ok = Interop.getsockopt(_handle, level, name, &result, &length) == 0;
        value = result;
        return ok;
    }

    private static unsafe void SetOption(SafeFileDescriptor handle, int level, int name, int value, string optionName)
    {
        if (Interop.setsockopt(handle, level, name, &value, sizeof(int)) != 0)
        {
            throw NetlinkSocket.LastError($"setsockopt({optionName})");
        }
    }

    /// <summary>
    /// Wakes a receive blocked in another thread (it throws <see cref="ObjectDisposedException"/>), then
    /// releases the descriptors; each is closed once no call is using it.
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

    public unsafe void Send(ReadOnlySpan<byte> data)
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

    public unsafe ReadOnlySpan<byte> Receive(int timeoutMilliseconds)
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
            // than the buffer grows the buffer instead of being cut short (MSG_TRUNC handled, nothing lost).
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

                throw ReceiveError(errno);
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

                throw ReceiveError(errno);
            }

            if (from.nl_pid != 0)
            {
                // Only the kernel speaks to this socket; anything else is dropped.
                continue;
            }

            return new ReadOnlySpan<byte>(buffer, 0, (int)Math.Min(received, buffer.Length));
        }
    }

    private static Exception ReceiveError(int errno) =>
        errno == Errno.ENOBUFS ? new NetlinkOverrunException() : new NetlinkException(errno, "recvmsg(AF_NETLINK)");

    /// <summary>Waits until the socket is readable; false on timeout. Throws if disposed meanwhile.</summary>
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
}

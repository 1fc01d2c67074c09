using System;

namespace LinuxIsolation.Netlink;

/// <summary>How a <see cref="NetlinkSocket"/> is set up. The defaults suit request/response use.</summary>
public sealed class NetlinkSocketOptions
{
    /// <summary>The default receive buffer size, 32 KiB: the largest datagram the kernel builds for a dump by default.</summary>
    public const int DefaultReceiveBufferSize = 32 * 1024;

    /// <summary>
    /// Ask for extended ACKs (<c>NETLINK_EXT_ACK</c>, kernel 4.12) so errors carry the kernel's text and the
    /// offending attribute. Default true.
    /// </summary>
    public bool ExtendedAck { get; init; } = true;

    /// <summary>Do not echo the request's payload in ACKs (<c>NETLINK_CAP_ACK</c>, kernel 4.3). Default true.</summary>
    public bool CapAck { get; init; } = true;

    /// <summary>
    /// Strict checking of dump requests (<c>NETLINK_GET_STRICT_CHK</c>, kernel 4.20): the kernel rejects
    /// malformed headers instead of ignoring them and honours dump filters. Default true.
    /// </summary>
    public bool StrictChecking { get; init; } = true;

    /// <summary>
    /// Size of the library's receive buffer, at least 32 KiB (the default). A larger datagram is detected
    /// and the buffer grows to fit it; nothing is lost.
    /// </summary>
    public int ReceiveBufferSize { get; init; } = DefaultReceiveBufferSize;

    /// <summary>
    /// The kernel's socket receive buffer (<c>SO_RCVBUF</c>; <c>SO_RCVBUFFORCE</c> is tried first as it can
    /// exceed the <c>net.core.rmem_max</c> limit with CAP_NET_ADMIN). Null keeps the system default. Raise it for
    /// event sockets that must absorb bursts.
    /// </summary>
    public int? SocketReceiveBufferSize { get; init; }

    /// <summary>
    /// How long a request waits for the kernel's answer; null waits indefinitely (the kernel always
    /// answers a request it received). On expiry a <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public TimeSpan? ReplyTimeout { get; init; }

    /// <summary>Shared default options.</summary>
    public static NetlinkSocketOptions Default { get; } = new();
}

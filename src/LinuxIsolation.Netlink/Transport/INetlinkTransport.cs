using System;

namespace LinuxIsolation.Netlink.Transport;

/// <summary>
/// What <see cref="NetlinkSocket"/> needs from below: send a buffer of messages, receive one datagram from
/// the kernel. The kernel's socket implements it; tests substitute a fake that maps requests to replies.
/// </summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>The port id the kernel assigned.</summary>
    uint PortId { get; }

    /// <summary>Sends <paramref name="data"/> (one or more messages) to the kernel in one datagram.</summary>
    void Send(ReadOnlySpan<byte> data);

    /// <summary>
    /// Receives one datagram sent by the kernel; empty when <paramref name="timeoutMilliseconds"/> expires
    /// (negative waits indefinitely). The span is valid until the next call.
    /// </summary>
    /// <exception cref="NetlinkOverrunException">The receive buffer overflowed (ENOBUFS).</exception>
    /// <exception cref="ObjectDisposedException">The transport was disposed, also while waiting.</exception>
    ReadOnlySpan<byte> Receive(int timeoutMilliseconds);

    /// <summary>Sets an integer socket option; throws <see cref="NetlinkException"/> naming <paramref name="optionName"/> on failure.</summary>
    void SetOption(int level, int name, int value, string optionName);

    /// <summary>Sets an integer socket option; false if the kernel refused it.</summary>
    bool TrySetOption(int level, int name, int value);

    /// <summary>Reads an integer socket option; false if the kernel refused.</summary>
    bool TryGetOption(int level, int name, out int value);
}

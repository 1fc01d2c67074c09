using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Networking;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    private const int IcmpEchoReply = 0, IcmpDestinationUnreachable = 3, IcmpEchoRequest = 8, IcmpTimeExceeded = 11;
    private const int Icmp6DestinationUnreachable = 1, Icmp6TimeExceeded = 3, Icmp6EchoRequest = 128, Icmp6EchoReply = 129;
    private const int ProbeCookieLength = 16;

    /// <summary>
    /// Sends one ICMP (or ICMPv6) echo request from inside this namespace and waits for its reply, as
    /// <c>ip netns exec NS ping -c 1 -W TIMEOUT DESTINATION</c> does: <see cref="ProbeOutcome.Reachable"/> with the
    /// round trip, <see cref="ProbeOutcome.Unreachable"/> when there is no route or a router answers "destination
    /// unreachable", <see cref="ProbeOutcome.TimedOut"/> otherwise. Uses a raw socket made inside the namespace (needs
    /// CAP_NET_RAW); the reply is matched by identifier, sequence and a random payload, so other traffic is ignored.
    /// </summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    /// <param name="timeout">How long to wait for the reply (positive, at most a day).</param>
    /// <param name="cancellationToken">Stops waiting; the task is then cancelled.</param>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive or longer than a day.</exception>
    /// <exception cref="LinuxSyscallException">The socket could not be made (EPERM without CAP_NET_RAW).</exception>
    /// <exception cref="SocketException">Sending failed for another reason than an unreachable destination.</exception>
    public async Task<ProbeResult> PingAsync(IPAddress destination, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckProbeTimeout(timeout);
        bool v6 = destination.AddressFamily switch
        {
            AddressFamily.InterNetwork => false,
            AddressFamily.InterNetworkV6 => true,
            _ => throw new ArgumentException($"{destination} is neither an IPv4 nor an IPv6 address.", nameof(destination)),
        };
        using Socket socket = OpenSocket(destination.AddressFamily, SocketType.Raw, v6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp);
        ushort id = (ushort)RandomNumberGenerator.GetInt32(1, ushort.MaxValue);
        const ushort sequence = 1;
        byte[] request = new byte[8 + ProbeCookieLength];
        request[0] = (byte)(v6 ? Icmp6EchoRequest : IcmpEchoRequest);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), sequence);
        RandomNumberGenerator.Fill(request.AsSpan(8));
        if (!v6)
        {
            // The kernel computes ICMPv6 checksums on raw sockets itself, not ICMPv4 ones.
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), InternetChecksum(request));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(destination, 0), deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException e) when (IsUnreachable(e.SocketErrorCode))
        {
            return new ProbeResult(ProbeOutcome.Unreachable, Stopwatch.GetElapsedTime(start), null, e.SocketErrorCode.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.TimedOut, Stopwatch.GetElapsedTime(start), null);
        }

        byte[] buffer = new byte[1500];
        EndPoint any = new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new ProbeResult(ProbeOutcome.TimedOut, Stopwatch.GetElapsedTime(start), null);
            }

            IPAddress from = ((IPEndPoint)received.RemoteEndPoint).Address;
            ReadOnlySpan<byte> icmp = buffer.AsSpan(0, received.ReceivedBytes);
            if (!v6)
            {
                // A raw IPv4 socket receives the IP header too.
                if (icmp.Length < 20)
                {
                    continue;
                }

                icmp = icmp.Slice(Math.Min(icmp.Length, (icmp[0] & 0x0f) * 4));
            }

            ProbeResult? result = MatchEchoAnswer(icmp, v6, id, sequence, request.AsSpan(8), from, Stopwatch.GetElapsedTime(start));
            if (result is not null)
            {
                return result;
            }
        }
    }

    /// <summary>Sends one echo request and waits for the reply: <see cref="PingAsync"/>, synchronously.</summary>
    /// <param name="destination">An IPv4 or IPv6 address.</param>
    /// <param name="timeout">How long to wait for the reply.</param>
    /// <inheritdoc cref="PingAsync" path="/exception"/>
    public ProbeResult Ping(IPAddress destination, TimeSpan timeout) => PingAsync(destination, timeout).GetAwaiter().GetResult();

    /// <summary>
    /// Opens a TCP connection from inside this namespace to <paramref name="destination"/> and closes it again, as
    /// <c>ip netns exec NS nc -z -w TIMEOUT ADDRESS PORT</c> does: <see cref="ProbeOutcome.Reachable"/> when the
    /// handshake completes, <see cref="ProbeOutcome.Refused"/> on a reset, <see cref="ProbeOutcome.Unreachable"/> when
    /// there is no route (or ICMP says so), <see cref="ProbeOutcome.TimedOut"/> otherwise. Needs no capability.
    /// </summary>
    /// <param name="destination">The address and port.</param>
    /// <param name="timeout">How long to wait for the handshake (positive, at most a day).</param>
    /// <param name="cancellationToken">Stops waiting; the task is then cancelled.</param>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive or longer than a day.</exception>
    /// <exception cref="LinuxSyscallException">The socket could not be made.</exception>
    /// <exception cref="SocketException">Connecting failed for another reason than those above.</exception>
    public async Task<ProbeResult> ConnectTcpAsync(IPEndPoint destination, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckProbeTimeout(timeout);
        if (destination.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"{destination} is neither an IPv4 nor an IPv6 endpoint.", nameof(destination));
        }

        using Socket socket = OpenSocket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long start = Stopwatch.GetTimestamp();
        try
        {
            await socket.ConnectAsync(destination, deadline.Token).ConfigureAwait(false);
            return new ProbeResult(ProbeOutcome.Reachable, Stopwatch.GetElapsedTime(start), destination.Address);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(ProbeOutcome.TimedOut, Stopwatch.GetElapsedTime(start), null);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new ProbeResult(ProbeOutcome.Refused, Stopwatch.GetElapsedTime(start), destination.Address);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return new ProbeResult(ProbeOutcome.TimedOut, Stopwatch.GetElapsedTime(start), null);
        }
        catch (SocketException e) when (IsUnreachable(e.SocketErrorCode))
        {
            return new ProbeResult(ProbeOutcome.Unreachable, Stopwatch.GetElapsedTime(start), null, e.SocketErrorCode.ToString());
        }
    }

    /// <summary>Opens and closes a TCP connection: <see cref="ConnectTcpAsync"/>, synchronously.</summary>
    /// <param name="destination">The address and port.</param>
    /// <param name="timeout">How long to wait for the handshake.</param>
    /// <inheritdoc cref="ConnectTcpAsync" path="/exception"/>
    public ProbeResult ConnectTcp(IPEndPoint destination, TimeSpan timeout) => ConnectTcpAsync(destination, timeout).GetAwaiter().GetResult();

    /// <summary>Whether <paramref name="icmp"/> answers our echo request: its reply, or an error quoting it.</summary>
    private static ProbeResult? MatchEchoAnswer(ReadOnlySpan<byte> icmp, bool v6, ushort id, ushort sequence, ReadOnlySpan<byte> cookie, IPAddress from, TimeSpan elapsed)
    {
        if (icmp.Length < 8)
        {
            return null;
        }

        int type = icmp[0], code = icmp[1];
        if (type == (v6 ? Icmp6EchoReply : IcmpEchoReply))
        {
            bool ours = BinaryPrimitives.ReadUInt16BigEndian(icmp.Slice(4)) == id && BinaryPrimitives.ReadUInt16BigEndian(icmp.Slice(6)) == sequence
                && icmp.Slice(8).StartsWith(cookie);
            return ours ? new ProbeResult(ProbeOutcome.Reachable, elapsed, from) : null;
        }

        bool unreachable = type == (v6 ? Icmp6DestinationUnreachable : IcmpDestinationUnreachable);
        bool expired = type == (v6 ? Icmp6TimeExceeded : IcmpTimeExceeded);
        if (!unreachable && !expired)
        {
            return null;
        }

        // The error quotes our packet: its IP header, then at least the first 8 bytes of our ICMP message.
        ReadOnlySpan<byte> quoted = icmp.Slice(8);
        int header = v6 ? 40 : (quoted.Length > 0 ? (quoted[0] & 0x0f) * 4 : 0);
        if (quoted.Length < header + 8)
        {
            return null;
        }

        ReadOnlySpan<byte> echo = quoted.Slice(header);
        if (echo[0] != (v6 ? Icmp6EchoRequest : IcmpEchoRequest) || BinaryPrimitives.ReadUInt16BigEndian(echo.Slice(4)) != id
            || BinaryPrimitives.ReadUInt16BigEndian(echo.Slice(6)) != sequence)
        {
            return null;
        }

        string detail = expired ? "time exceeded" : $"{(v6 ? "ICMPv6" : "ICMP")} destination unreachable, code {code}";
        return new ProbeResult(ProbeOutcome.Unreachable, elapsed, from, detail);
    }

    private static bool IsUnreachable(SocketError error) =>
        error is SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable or SocketError.HostDown or SocketError.NetworkDown;

    private static void CheckProbeTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A probe's timeout is positive and at most a day.");
        }
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    private static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
        }

        if (i < data.Length)
        {
            sum += (uint)data[i] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}

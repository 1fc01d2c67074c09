using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;

namespace SeedNetwork;

/// <summary>
/// Real packets between namespaces: an ICMP echo (what <c>ping</c> sends) and a TCP connection, from sockets
/// created inside the namespaces (a socket stays in the namespace it was created in).
/// </summary>
internal static class Probe
{
    private static int s_sequence;

    /// <summary>Sends one ICMP echo request from <paramref name="from"/> to <paramref name="to"/> and waits for the reply.</summary>
    public static TimeSpan Ping(NetworkNamespace from, IPAddress to, TimeSpan timeout)
    {
        using Socket socket = from.OpenSocket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
        ushort id = (ushort)Environment.ProcessId;
        ushort sequence = (ushort)Interlocked.Increment(ref s_sequence);
        byte[] request = new byte[16];
        request[0] = 8; // echo request
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), sequence);
        "LinuxIso"u8.CopyTo(request.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), Checksum(request));

        long start = Environment.TickCount64;
        socket.SendTo(request, new IPEndPoint(to, 0));
        byte[] reply = new byte[1500];
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        while (true)
        {
            EndPoint sender = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                n = socket.ReceiveFrom(reply, ref sender);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new TimeoutException($"no echo reply from {to} within {timeout.TotalSeconds:0.#} s");
            }

            // A raw ICMP socket receives the IP header too; echo replies (type 0) to our id and sequence count.
            int ihl = (reply[0] & 0x0F) * 4;
            if (n >= ihl + 8 && reply[ihl] == 0 && ((IPEndPoint)sender).Address.Equals(to)
                && BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(ihl + 4)) == id
                && BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(ihl + 6)) == sequence)
            {
                return TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
            }

            if (Environment.TickCount64 - start > timeout.TotalMilliseconds)
            {
                throw new TimeoutException($"no echo reply from {to} within {timeout.TotalSeconds:0.#} s");
            }
        }
    }

    /// <summary>
    /// Listens on <paramref name="address"/>:<paramref name="port"/> inside <paramref name="server"/>, connects from
    /// <paramref name="client"/>, exchanges a line, and returns the source address the server saw.
    /// </summary>
    public static IPAddress Tcp(NetworkNamespace client, NetworkNamespace server, IPAddress address, int port, TimeSpan timeout)
    {
        using Socket listener = server.OpenSocket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(1);
        return Connect(client, listener, address, port, timeout);
    }

    /// <summary>Connects from <paramref name="client"/> to <paramref name="target"/>:<paramref name="port"/>, accepted by <paramref name="listener"/>.</summary>
    public static IPAddress Connect(NetworkNamespace client, Socket listener, IPAddress target, int port, TimeSpan timeout)
    {
        using Socket socket = client.OpenSocket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout);
        Task<Socket> accept = listener.AcceptAsync(cts.Token).AsTask();
        socket.ConnectAsync(new IPEndPoint(target, port), cts.Token).AsTask().GetAwaiter().GetResult();
        using Socket accepted = accept.GetAwaiter().GetResult();
        socket.Send("hello\n"u8);
        byte[] line = new byte[6];
        int n = accepted.Receive(line);
        if (n != 6 || line[0] != (byte)'h')
        {
            throw new InvalidOperationException("the TCP payload did not arrive intact");
        }

        return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data.Slice(i));
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}

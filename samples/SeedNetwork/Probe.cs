using System;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Networking;

namespace SeedNetwork;

/// <summary>
/// Real packets between namespaces, through the library's probes (an ICMP echo and a TCP connect from a socket
/// made inside the namespace), failing the walkthrough when a check fails.
/// </summary>
internal static class Probe
{
    /// <summary>Pings <paramref name="to"/> from <paramref name="from"/> and describes the reply.</summary>
    public static string Ping(NetworkNamespace from, IPAddress to, TimeSpan timeout)
    {
        ProbeResult result = from.Ping(to, timeout);
        return result.Succeeded
            ? $"echo reply from {result.RespondedBy} in {result.Elapsed.TotalMilliseconds:0} ms"
            : throw new InvalidOperationException($"ping {to}: {result.Outcome} {result.Detail}");
    }

    /// <summary>
    /// Listens on <paramref name="address"/>:<paramref name="port"/> inside <paramref name="server"/>, connects from
    /// <paramref name="client"/>, and returns the source address the server saw.
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
        ProbeResult result = client.ConnectTcp(new IPEndPoint(target, port), timeout);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"TCP {target}:{port}: {result.Outcome} {result.Detail}");
        }

        using Socket accepted = listener.Accept();
        return ((IPEndPoint)accepted.RemoteEndPoint!).Address;
    }
}

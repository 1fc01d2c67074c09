using System;
using System.Collections.Generic;
using System.Text;
using LinuxIsolation.Netlink.Transport;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>
/// A stand-in for the kernel: a function maps each sent buffer to the datagrams the "kernel" answers with.
/// A null datagram in the answer stands for an overrun (ENOBUFS) at that point of the stream.
/// </summary>
internal sealed class FakeNetlinkTransport : INetlinkTransport
{
    private readonly Func<byte[], IEnumerable<byte[]?>> _kernel;
    private readonly Queue<byte[]?> _pending = new();

    public FakeNetlinkTransport(Func<byte[], IEnumerable<byte[]?>> kernel) => _kernel = kernel;

    public List<byte[]> Sent { get; } = new();

    public uint PortId => 4242;

    public static NetlinkSocket Socket(Func<byte[], IEnumerable<byte[]?>> kernel, out FakeNetlinkTransport transport, NetlinkSocketOptions? options = null, NetlinkProtocol protocol = NetlinkProtocol.Route)
    {
        transport = new FakeNetlinkTransport(kernel);
        return new NetlinkSocket(transport, protocol, options ?? NetlinkSocketOptions.Default);
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        Sent.Add(copy);
        foreach (byte[]? datagram in _kernel(copy))
        {
            _pending.Enqueue(datagram);
        }
    }

    public void Queue(byte[]? datagram) => _pending.Enqueue(datagram);

    public ReadOnlySpan<byte> Receive(int timeoutMilliseconds)
    {
        if (_pending.Count == 0)
        {
            return timeoutMilliseconds >= 0 ? default : throw new InvalidOperationException("The fake kernel has nothing more to say and the caller would wait forever.");
        }

        byte[]? next = _pending.Dequeue();
        return next ?? throw new NetlinkOverrunException();
    }

    /// <summary>Called for every <see cref="SetOption"/>; may throw to stand in for a refusal.</summary>
    public Action<int, int, int>? OnSetOption { get; set; }

    public void SetOption(int level, int name, int value, string optionName) => OnSetOption?.Invoke(level, name, value);

    public bool TrySetOption(int level, int name, int value) => true;

    public bool TryGetOption(int level, int name, out int value)
    {
        value = int.MaxValue;
        return true;
    }

    public void Dispose()
    {
    }

    /// <summary>Sequence number of the message at <paramref name="offset"/> of a sent buffer.</summary>
    public static uint SequenceAt(byte[] sent, int offset = 0) => BitConverter.ToUInt32(sent, offset + 8);

    /// <summary>Builds kernel messages, as the kernel lays them out (host byte order).</summary>
    public static class Kernel
    {
        public static byte[] Message(ushort type, NetlinkMessageFlags flags, uint sequence, ReadOnlySpan<byte> payload)
        {
            byte[] m = new byte[16 + ((payload.Length + 3) & ~3)];
            BitConverter.TryWriteBytes(m.AsSpan(0), 16 + payload.Length);
            BitConverter.TryWriteBytes(m.AsSpan(4), type);
            BitConverter.TryWriteBytes(m.AsSpan(6), (ushort)flags);
            BitConverter.TryWriteBytes(m.AsSpan(8), sequence);
            BitConverter.TryWriteBytes(m.AsSpan(12), 0u);
            payload.CopyTo(m.AsSpan(16));
            return m;
        }

        /// <summary>An NLMSG_ERROR with CAP_ACK layout: error, the request's header, then extended-ACK attributes.</summary>
        public static byte[] Error(byte[] request, int requestOffset, int errno, string? text = null, int? offset = null)
        {
            var payload = new List<byte>();
            payload.AddRange(BitConverter.GetBytes(-errno));
            payload.AddRange(request.AsSpan(requestOffset, 16).ToArray());
            bool tlvs = text is not null || offset is not null;
            if (text is not null)
            {
                payload.AddRange(Attribute(1, Encoding.UTF8.GetBytes(text + "\0")));
            }

            if (offset is int o)
            {
                payload.AddRange(Attribute(2, BitConverter.GetBytes(o)));
            }

            var flags = NetlinkMessageFlags.Capped | (tlvs ? NetlinkMessageFlags.AckTlvs : 0);
            return Message(NetlinkMessageType.Error, flags, SequenceAt(request, requestOffset), payload.ToArray());
        }

        public static byte[] Ack(byte[] request, int requestOffset = 0) => Error(request, requestOffset, 0);

        public static byte[] Done(uint sequence, int error = 0, string? text = null)
        {
            var payload = new List<byte>(BitConverter.GetBytes(error));
            if (text is not null)
            {
                payload.AddRange(Attribute(1, Encoding.UTF8.GetBytes(text + "\0")));
            }

            return Message(NetlinkMessageType.Done, NetlinkMessageFlags.Multi | (text is null ? 0 : NetlinkMessageFlags.AckTlvs), sequence, payload.ToArray());
        }

        public static byte[] Attribute(ushort type, byte[] value)
        {
            byte[] a = new byte[(4 + value.Length + 3) & ~3];
            BitConverter.TryWriteBytes(a.AsSpan(0), (ushort)(4 + value.Length));
            BitConverter.TryWriteBytes(a.AsSpan(2), type);
            value.CopyTo(a, 4);
            return a;
        }

        public static byte[] Concat(params byte[][] parts)
        {
            var all = new List<byte>();
            foreach (byte[] p in parts)
            {
                all.AddRange(p);
            }

            return all.ToArray();
        }
    }
}

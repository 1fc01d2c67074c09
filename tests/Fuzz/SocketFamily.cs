using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Net.Sockets;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Transport;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// Hostile replies from the kernel side, through the real <see cref="NetlinkSocket"/> over a fake transport:
/// the reply reader of <c>Exchange</c> (sequence matching, acknowledgements, errors, <c>NLMSG_DONE</c> with an
/// errno and extended ACK, <c>NLM_F_DUMP_INTR</c>), <c>DumpAll</c> with its retries, <c>Request</c>,
/// <c>RequestMany</c> (one result per request), <c>ReceiveEvents</c>, and the clients on top:
/// <see cref="RtnetlinkClient"/> (ListLinks, ListAddresses, ListRoutes, ListNeighbours, GetLink) and
/// <see cref="NftablesClient"/> (GetGeneration, ListTables, ListChains, ListRules, ListSets, ListElements).
/// The input's first byte picks the operation, how the replies are split into datagrams and whether their
/// sequence numbers are patched to match the request; each datagram is handed over against the guard page.
/// Documented: <see cref="NetlinkDecodeException"/> (malformed reply), <see cref="NetlinkException"/> (an error
/// reply) and <see cref="TimeoutException"/> (the replies end before the answer does).
/// </summary>
internal sealed class SocketFamily : NetlinkDatagramFamily
{
    private const int Operations = 14;
    private long _sink;

    public SocketFamily(IReadOnlyList<byte[]> seeds, GuardPage guard)
        : base(seeds, guard)
    {
    }

    public override string Name => "socket";

    public override string Decoders => "NetlinkSocket reply path (Exchange/NetlinkReplyReader, DumpAll, Request, RequestMany, ReceiveEvents) and the clients on it: RtnetlinkClient ListLinks/ListAddresses/ListRoutes/ListNeighbours/GetLink, NftablesClient GetGeneration/ListTables/ListChains/ListRules/ListSets/ListElements";

    public override string DocumentedException => "NetlinkDecodeException, NetlinkException (error replies), TimeoutException (replies end early)";

    public override IEnumerable<byte[]> SeedInputs()
    {
        int operation = 0;
        foreach (byte[] message in Mutator.SeedMessages())
        {
            byte[] input = new byte[message.Length + 1];
            input[0] = (byte)(Operations + (operation++ % Operations)); // sequence numbers patched, one datagram
            message.CopyTo(input, 1);
            yield return input;
        }
    }

    public override byte[] NextInput(ref Rng rng)
    {
        byte[] replies = Mutator.Next(ref rng);
        byte[] input = new byte[replies.Length + 1];
        input[0] = (byte)rng.Next();
        replies.CopyTo(input, 1);
        return input;
    }

    protected override void Decode(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        byte control = input[0];
        var kernel = new FakeKernel(input.AsSpan(1).ToArray(), control, Guard);
        int operation = control % Operations;
        NetlinkProtocol protocol = operation >= 8 ? NetlinkProtocol.Netfilter : NetlinkProtocol.Route;
        using var socket = new NetlinkSocket(kernel, protocol, new NetlinkSocketOptions { ReplyTimeout = TimeSpan.FromMilliseconds(1) });
        try
        {
            _sink += Operate(socket, operation);
        }
        catch (Exception e) when (e is NetlinkDecodeException or NetlinkException or TimeoutException)
        {
            Rejection(e);
        }
    }

    private long Operate(NetlinkSocket socket, int operation)
    {
        long sink = 0;
        switch (operation)
        {
            case 0:
                foreach (Link l in new RtnetlinkClient(socket, ownsSocket: false).ListLinks(maxRetries: 2))
                {
                    sink += l.ToString().Length;
                }

                break;
            case 1:
                foreach (InterfaceAddress a in new RtnetlinkClient(socket, ownsSocket: false).ListAddresses())
                {
                    sink += a.ToString().Length;
                }

                break;
            case 2:
                foreach (Route r in new RtnetlinkClient(socket, ownsSocket: false).ListRoutes(AddressFamily.Unspecified, 0))
                {
                    sink += r.ToString().Length;
                }

                break;
            case 3:
                foreach (Neighbour n in new RtnetlinkClient(socket, ownsSocket: false).ListNeighbours())
                {
                    sink += n.ToString().Length;
                }

                break;
            case 4:
                sink += new RtnetlinkClient(socket, ownsSocket: false).GetLink(1).ToString().Length;
                break;
            case 5:
                {
                    Span<byte> buffer = stackalloc byte[256];
                    var writer = new NetlinkWriter(buffer);
                    for (int i = 1; i <= 3; i++)
                    {
                        LinkMessages.WriteSetUp(ref writer, i, up: true);
                    }

                    var results = new NetlinkResult[3];
                    sink += socket.RequestMany(buffer.Slice(0, writer.Length), results, LinkMessages.FamilyHeaderSize);
                    foreach (NetlinkResult result in results)
                    {
                        sink += result.Sequence + (result.Error?.Message.Length ?? 0);
                    }

                    break;
                }

            case 6:
                {
                    Span<byte> buffer = stackalloc byte[64];
                    var writer = new NetlinkWriter(buffer);
                    LinkMessages.WriteSetUp(ref writer, 1, up: true);
                    socket.Request(buffer.Slice(0, writer.Length), "fuzz", LinkMessages.FamilyHeaderSize);
                    break;
                }

            case 7:
                foreach (NetlinkMessage m in socket.ReceiveEvents(0))
                {
                    try
                    {
                        sink += RtnetlinkMonitor.Decode(m)?.ToString().Length ?? 0;
                    }
                    catch (NetlinkDecodeException e)
                    {
                        Rejection(e);
                    }
                }

                break;
            case 8:
                sink += new NftablesClient(socket, ownsSocket: false).GetGeneration();
                break;
            case 9:
                sink += new NftablesClient(socket, ownsSocket: false).ListTables().Count;
                break;
            case 10:
                sink += new NftablesClient(socket, ownsSocket: false).ListChains(NftFamily.Inet).Count;
                break;
            case 11:
                foreach (NftRule r in new NftablesClient(socket, ownsSocket: false).ListRules(NftFamily.Inet, "fuzz"))
                {
                    sink += r.ToString().Length;
                }

                break;
            case 12:
                sink += new NftablesClient(socket, ownsSocket: false).ListSets(NftFamily.Inet, "fuzz").Count;
                break;
            default:
                foreach (NftSetElement e in new NftablesClient(socket, ownsSocket: false).ListElements(NftFamily.Inet, "fuzz", "ports"))
                {
                    sink += e.ToString().Length;
                }

                break;
        }

        return sink;
    }

    /// <summary>
    /// Answers every request with the input's datagrams: split at message boundaries into one to four datagrams,
    /// and, as the control byte says, with the sequence numbers of all, some or none of the messages patched to the
    /// request's (the first request's number plus the message's position, so pipelined requests match too).
    /// </summary>
    private sealed class FakeKernel : INetlinkTransport
    {
        private readonly byte[] _replies;
        private readonly int _control;
        private readonly GuardPage _guard;
        private readonly Queue<byte[]> _pending = new();

        public FakeKernel(byte[] replies, int control, GuardPage guard)
        {
            _replies = replies;
            _control = control;
            _guard = guard;
        }

        public uint PortId => 4242;

        public void Send(ReadOnlySpan<byte> data)
        {
            uint first = data.Length >= 12 ? BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(8)) : 0;
            byte[] replies = (byte[])_replies.Clone();
            int patch = (_control / Operations) % 3; // 0 none, 1 all, 2 every other message
            var boundaries = new List<int>();
            int offset = 0, index = 0;
            while (replies.Length - offset >= 16)
            {
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(replies.AsSpan(offset));
                if (patch == 1 || (patch == 2 && index % 2 == 0))
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(replies.AsSpan(offset + 8), first + (uint)(index % 3));
                }

                if (length < 16 || length > replies.Length - offset)
                {
                    break;
                }

                offset += (int)Math.Min((length + 3) & ~3u, (uint)(replies.Length - offset));
                boundaries.Add(offset);
                index++;
            }

            int datagrams = 1 + (_control / (Operations * 3)) % 4;
            int start = 0;
            for (int d = 1; d < datagrams && boundaries.Count > 0; d++)
            {
                int cut = boundaries[(boundaries.Count * d / datagrams) % boundaries.Count];
                if (cut > start && cut < replies.Length)
                {
                    _pending.Enqueue(replies.AsSpan(start, cut - start).ToArray());
                    start = cut;
                }
            }

            _pending.Enqueue(replies.AsSpan(start).ToArray());
        }

        public ReadOnlySpan<byte> Receive(int timeoutMilliseconds) =>
            _pending.Count == 0 ? default : _guard.Place(_pending.Dequeue());

        public void SetOption(int level, int name, int value, string optionName)
        {
        }

        public bool TrySetOption(int level, int name, int value) => true;

        public bool TryGetOption(int level, int name, out int value)
        {
            value = 0;
            return true;
        }

        public void Dispose()
        {
        }
    }
}

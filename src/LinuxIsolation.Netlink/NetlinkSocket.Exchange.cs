using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace LinuxIsolation.Netlink;

/// <summary>Turns one reply message into a value; returns false to skip the message.</summary>
/// <typeparam name="T">The decoded type.</typeparam>
public delegate bool NetlinkParser<T>(NetlinkMessage message, [MaybeNullWhen(false)] out T value);

public sealed partial class NetlinkSocket
{
    /// <summary>
    /// Sends one request and waits for the kernel's acknowledgement. <c>NLM_F_REQUEST</c> and
    /// <c>NLM_F_ACK</c> are added to its flags and its sequence number is overwritten, in place.
    /// Replies other than the acknowledgement (e.g. an <c>NLM_F_ECHO</c> copy) are read and ignored.
    /// </summary>
    /// <param name="request">One complete message, as written by <see cref="NetlinkWriter"/>.</param>
    /// <param name="operation">What is being done, for the exception, e.g. "RTM_NEWLINK veth a/b".</param>
    /// <param name="familyHeaderSize">Size of the request's family header, to name the attribute an error points at; -1 if unknown.</param>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    public void Request(Span<byte> request, string? operation = null, int familyHeaderSize = -1)
    {
        using NetlinkReplyReader replies = Exchange(request, operation, familyHeaderSize);
        while (replies.MoveNext())
        {
        }
    }

    /// <summary>
    /// Sends one request (a GET, a dump, or a change with <c>NLM_F_ECHO</c>) and returns a reader of the
    /// kernel's replies, ending at <c>NLMSG_DONE</c> or the acknowledgement. Non-dump requests get
    /// <c>NLM_F_ACK</c> added. The reader holds the socket's one exchange until it is disposed
    /// (<c>foreach</c> and <c>using</c> do that).
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the request (thrown by the reader's <c>MoveNext</c>).</exception>
    public NetlinkReplyReader Exchange(Span<byte> request, string? operation = null, int familyHeaderSize = -1)
    {
        Enter();
        try
        {
            uint sequence = Stamp(request, forceAck: true, out int count);
            if (count != 1)
            {
                throw new ArgumentException($"Exchange sends one message; the buffer holds {count}. Use RequestMany for several.", nameof(request));
            }

            SendRaw(request);
            return new NetlinkReplyReader(this, sequence, request, operation, familyHeaderSize);
        }
        catch
        {
            Exit();
            throw;
        }
    }

    /// <summary>
    /// Sends a dump request and decodes every reply with <paramref name="parser"/>. If the kernel marks the dump
    /// interrupted (<c>NLM_F_DUMP_INTR</c>: the table changed while it was read), it is repeated up to
    /// <paramref name="maxRetries"/> times; the result says whether the last attempt was still interrupted.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<T> DumpAll<T>(Span<byte> request, NetlinkParser<T> parser, int maxRetries = 0, string? operation = null, int familyHeaderSize = -1)
    {
        ArgumentNullException.ThrowIfNull(parser);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        var items = new List<T>();
        for (int attempt = 1; ; attempt++)
        {
            items.Clear();
            bool interrupted;
            using (NetlinkReplyReader replies = Exchange(request, operation, familyHeaderSize))
            {
                while (replies.MoveNext())
                {
                    if (parser(replies.Current, out T? value))
                    {
                        items.Add(value);
                    }
                }

                interrupted = replies.Interrupted;
            }

            if (!interrupted || attempt > maxRetries)
            {
                return new NetlinkDumpResult<T>(items, interrupted, attempt);
            }
        }
    }

    /// <summary>
    /// Sends every message in <paramref name="requests"/> in one <c>sendmsg</c> and collects one result per
    /// message, matched by sequence number: the failure of request k is reported in
    /// <paramref name="results"/>[k] only, and the others still take effect (the kernel handles each message
    /// on its own). <c>NLM_F_ACK</c> is added to every message.
    /// </summary>
    /// <param name="requests">Messages written one after the other by <see cref="NetlinkWriter"/>.</param>
    /// <param name="results">Receives one result per message, in order; at least as long as the message count.</param>
    /// <param name="familyHeaderSize">Size of the messages' family header, to name the attribute an error points at; -1 if unknown.</param>
    /// <returns>The number of requests that failed.</returns>
    public int RequestMany(Span<byte> requests, Span<NetlinkResult> results, int familyHeaderSize = -1)
    {
        Enter();
        try
        {
            uint first = Stamp(requests, forceAck: true, out int count);
            if (results.Length < count)
            {
                throw new ArgumentException($"The results span has room for {results.Length} of {count} results.", nameof(results));
            }

            results.Slice(0, count).Clear();
            SendRaw(requests);
            int pending = count;
            int failures = 0;
            Span<bool> done = count <= 512 ? stackalloc bool[count] : new bool[count];
            while (pending > 0)
            {
                ReadOnlySpan<byte> datagram = ReceiveDatagram(ReplyTimeoutMilliseconds);
                if (datagram.IsEmpty)
                {
                    throw new TimeoutException($"The kernel did not answer {pending} of {count} requests in time.");
                }

                foreach (NetlinkMessage message in new NetlinkReader(datagram))
                {
                    uint index = message.Sequence - first;
                    if (index >= (uint)count || done[(int)index] || !(message.IsError || message.IsDone))
                    {
                        continue;
                    }

                    NetlinkErrorMessage error = message.IsError ? message.GetError() : default;
                    done[(int)index] = true;
                    pending--;
                    if (message.IsError && !error.IsAcknowledgement)
                    {
                        failures++;
                        ReadOnlySpan<byte> own = MessageAt(requests, (int)index);
                        results[(int)index] = new NetlinkResult(message.Sequence, error.ToException(null, own, familyHeaderSize));
                    }
                    else
                    {
                        results[(int)index] = new NetlinkResult(message.Sequence, null);
                    }
                }
            }

            return failures;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Receives the next datagram of events (after <see cref="JoinGroup"/>) and returns a reader of its
    /// messages, or an empty reader when <paramref name="timeoutMilliseconds"/> expires (negative waits indefinitely).
    /// The reader's data is valid until the next call on this socket.
    /// </summary>
    /// <exception cref="NetlinkOverrunException">Events were lost because the socket's buffer overflowed.</exception>
    /// <exception cref="ObjectDisposedException">The socket was disposed, also while waiting.</exception>
    public NetlinkReader ReceiveEvents(int timeoutMilliseconds = -1)
    {
        Enter();
        try
        {
            return new NetlinkReader(ReceiveDatagram(timeoutMilliseconds));
        }
        finally
        {
            Exit();
        }
    }

    internal ReadOnlySpan<byte> ReceiveForExchange() 
    {
        ReadOnlySpan<byte> datagram = ReceiveDatagram(ReplyTimeoutMilliseconds);
        if (datagram.IsEmpty)
        {
            throw new TimeoutException("The kernel did not answer the netlink request in time.");
        }

        return datagram;
    }

    internal void EndExchange() => Exit();

    private static ReadOnlySpan<byte> MessageAt(ReadOnlySpan<byte> messages, int index)
    {
        int offset = 0;
        for (int i = 0; ; i++)
        {
            int length = (int)BitConverter.ToUInt32(messages.Slice(offset, 4));
            if (i == index)
            {
                return messages.Slice(offset, length);
            }

            offset += NetlinkWriter.Align(length);
        }
    }
}

/// <summary>The outcome of one request sent with <see cref="NetlinkSocket.RequestMany"/>.</summary>
public readonly struct NetlinkResult
{
    /// <summary>Creates a result.</summary>
    public NetlinkResult(uint sequence, NetlinkException? error)
    {
        Sequence = sequence;
        Error = error;
    }

    /// <summary>The sequence number the request was sent with.</summary>
    public uint Sequence { get; }

    /// <summary>The kernel's refusal, or null when the request succeeded.</summary>
    public NetlinkException? Error { get; }

    /// <summary>True when the kernel acknowledged the request.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// The decoded replies of a dump, in the kernel's order, and whether they may be inconsistent: the list methods of
/// the protocol clients return it (it is a read-only list of the items), so a caller that cares can check
/// <see cref="Interrupted"/> after the retries the method made.
/// </summary>
/// <typeparam name="T">The decoded type.</typeparam>
/// <param name="Items">The decoded replies, in the kernel's order.</param>
/// <param name="Interrupted">
/// True when the kernel flagged the (last) dump with <c>NLM_F_DUMP_INTR</c>: the table changed while it was read, so
/// the items may be inconsistent (an object missing or seen twice); repeat the call for a consistent view.
/// </param>
/// <param name="Attempts">How many times the dump was sent.</param>
public sealed record NetlinkDumpResult<T>(IReadOnlyList<T> Items, bool Interrupted, int Attempts) : IReadOnlyList<T>
{
    /// <summary>The number of items.</summary>
    public int Count => Items.Count;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T this[int index] => Items[index];

    /// <summary>Enumerates the items.</summary>
    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The items <paramref name="keep"/> accepts, with this dump's flags (a filter the kernel could not apply).</summary>
    internal NetlinkDumpResult<T> Where(Func<T, bool> keep)
    {
        var kept = new List<T>();
        foreach (T item in Items)
        {
            if (keep(item))
            {
                kept.Add(item);
            }
        }

        return this with { Items = kept };
    }
}

using System;

namespace LinuxIsolation.Netlink;

/// <summary>Writes one request from <paramref name="state"/> (pass a <c>static</c> lambda and a tuple: nothing is allocated).</summary>
/// <typeparam name="TState">The request's arguments, e.g. <c>(int Index, uint Mtu)</c>.</typeparam>
internal delegate void NetlinkRequestWriter<TState>(ref NetlinkWriter writer, TState state);

/// <summary>
/// The request plumbing of a protocol client, in one place: a stack buffer, a <see cref="NetlinkWriter"/> over it,
/// the message written by a <see cref="NetlinkRequestWriter{TState}"/>, and one exchange on the socket under the
/// client's lock (a change and its acknowledgement, a get and its reply, or a dump with its retries and the
/// <c>NLM_F_DUMP_INTR</c> flag kept). A client method is then its validation, its operation text and one call:
/// <code>
/// _requests.Execute((index, mtu), static (ref NetlinkWriter w, (int Index, uint Mtu) s) =&gt; LinkMessages.WriteSetMtu(ref w, s.Index, s.Mtu),
///     $"RTM_NEWLINK index {index} mtu {mtu}", LinkMessages.FamilyHeaderSize);
/// </code>
/// </summary>
internal sealed class NetlinkRequests
{
    /// <summary>The buffer size of an ordinary request (a request with many attributes asks for more).</summary>
    public const int SmallRequest = 512;

    private readonly object _gate;

    /// <summary>Serves <paramref name="socket"/>; every exchange holds <paramref name="gate"/> (the client's lock).</summary>
    public NetlinkRequests(NetlinkSocket socket, object gate)
    {
        Socket = socket;
        _gate = gate;
    }

    /// <summary>The socket.</summary>
    public NetlinkSocket Socket { get; }

    /// <summary>Sends one change request and waits for the kernel's acknowledgement.</summary>
    /// <exception cref="NetlinkException">The kernel refused; the exception names <paramref name="operation"/>.</exception>
    public void Execute<TState>(TState state, NetlinkRequestWriter<TState> write, string operation, int familyHeaderSize, int bufferSize = SmallRequest)
    {
        Span<byte> buffer = bufferSize <= 2048 ? stackalloc byte[bufferSize] : new byte[bufferSize];
        var writer = new NetlinkWriter(buffer);
        write(ref writer, state);
        lock (_gate)
        {
            Socket.Request(writer.WrittenSpan, operation, familyHeaderSize);
        }
    }

    /// <summary>
    /// Sends one request (a get, or a change with <c>NLM_F_ECHO</c>) and returns the first reply <paramref name="parse"/>
    /// accepts, or the default when none did; the other replies are read and dropped.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public TResult? Get<TState, TResult>(TState state, NetlinkRequestWriter<TState> write, NetlinkParser<TResult> parse, string operation, int familyHeaderSize, int bufferSize = SmallRequest)
    {
        Span<byte> buffer = bufferSize <= 2048 ? stackalloc byte[bufferSize] : new byte[bufferSize];
        var writer = new NetlinkWriter(buffer);
        write(ref writer, state);
        TResult? result = default;
        bool found = false;
        lock (_gate)
        {
            foreach (NetlinkMessage message in Socket.Exchange(writer.WrittenSpan, operation, familyHeaderSize))
            {
                if (!found && parse(message, out TResult? value))
                {
                    result = value;
                    found = true;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Sends every request <paramref name="write"/> writes in one <c>sendmsg</c> and collects one result per request
    /// (see <see cref="NetlinkSocket.RequestMany"/>: a failure is reported in its own result, the others still take effect).
    /// </summary>
    /// <returns>How many requests failed.</returns>
    public int ExecuteMany<TState>(TState state, NetlinkRequestWriter<TState> write, Span<NetlinkResult> results, int familyHeaderSize, int bufferSize)
    {
        Span<byte> buffer = bufferSize <= 2048 ? stackalloc byte[bufferSize] : new byte[bufferSize];
        var writer = new NetlinkWriter(buffer);
        write(ref writer, state);
        lock (_gate)
        {
            return Socket.RequestMany(writer.WrittenSpan, results, familyHeaderSize);
        }
    }

    /// <summary>
    /// Sends a dump request and decodes every reply; repeats a dump the kernel flags as interrupted up to
    /// <paramref name="maxRetries"/> times, and the result says whether the last one still was.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<T> Dump<TState, T>(TState state, NetlinkRequestWriter<TState> write, NetlinkParser<T> parse, int maxRetries, string operation, int familyHeaderSize, int bufferSize = SmallRequest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        Span<byte> buffer = bufferSize <= 2048 ? stackalloc byte[bufferSize] : new byte[bufferSize];
        var writer = new NetlinkWriter(buffer);
        write(ref writer, state);
        lock (_gate)
        {
            return Socket.DumpAll(writer.WrittenSpan, parse, maxRetries, operation, familyHeaderSize);
        }
    }
}

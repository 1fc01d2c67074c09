using System;
using System.Collections.Generic;
using LinuxIsolation.Netlink.Nftables.Native;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesMessages;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// An nf_tables client over <c>NETLINK_NETFILTER</c>: commits transactions atomically and lists tables, chains,
/// rules, sets and elements of one network namespace, the one in which its socket was created.
/// </summary>
/// <remarks>
/// Thread-safe: calls from several threads are serialised on the one socket. Changes need CAP_NET_ADMIN in the
/// user namespace that owns the network namespace; so do listings (nf_tables checks it for every request).
/// nf_tables needs Linux 3.13; the batch generation check (<see cref="NftTransaction.ExpectedGeneration"/>) 5.8.
/// </remarks>
public sealed partial class NftablesClient : IDisposable
{
    private readonly object _gate = new();
    private readonly bool _ownsSocket;
    private byte[] _batchBuffer = [];
    private NetlinkResult[] _results = [];
    private NftCommitResult? _emptyResult;
    private const int MaxRetainedBatchBuffer = 1024 * 1024;
    private const int MaxRetainedResults = 4096;

    /// <summary>Wraps an open <see cref="NetlinkProtocol.Netfilter"/> socket.</summary>
    /// <param name="socket">The socket; its network namespace is the one this client works in.</param>
    /// <param name="ownsSocket">Dispose the socket with the client.</param>
    public NftablesClient(NetlinkSocket socket, bool ownsSocket = true)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (socket.Protocol != NetlinkProtocol.Netfilter)
        {
            throw new ArgumentException($"An nf_tables client needs a NETLINK_NETFILTER socket, not {socket.Protocol}.", nameof(socket));
        }

        Socket = socket;
        _ownsSocket = ownsSocket;
    }

    /// <summary>The underlying socket.</summary>
    public NetlinkSocket Socket { get; }

    /// <summary>Opens a client in the calling thread's network namespace.</summary>
    /// <exception cref="NetlinkException">The socket could not be opened.</exception>
    public static NftablesClient Open(NetlinkSocketOptions? options = null) =>
        new(NetlinkSocket.Open(NetlinkProtocol.Netfilter, options), ownsSocket: true);

    /// <summary>Disposes the socket if the client owns it.</summary>
    public void Dispose()
    {
        if (_ownsSocket)
        {
            Socket.Dispose();
        }
    }

    /// <summary>
    /// Returns the ruleset's generation id, which every committed change increments (<c>NFT_MSG_GETGEN</c>); pass it
    /// as <see cref="NftTransaction.ExpectedGeneration"/> to commit only if nothing changed in between.
    /// Equivalent to the first request of <c>nft list ruleset</c>.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    public uint GetGeneration()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = NftWire.BeginMessage(ref writer, NFT_MSG_GETGEN, NetlinkMessageFlags.None, NftFamily.Unspecified);
        writer.EndMessage(m);
        uint? id = null;
        lock (_gate)
        {
            foreach (NetlinkMessage reply in Socket.Exchange(writer.WrittenSpan, "NFT_MSG_GETGEN", NftWire.FamilyHeaderSize))
            {
                if (reply.GetAttributes(NftWire.FamilyHeaderSize).TryFind(NFTA_GEN_ID, out NetlinkAttribute a))
                {
                    id ??= a.GetUInt32BigEndian();
                }
            }
        }

        return id ?? throw new NetlinkDecodeException("NFT_MSG_GETGEN: the kernel's answer has no NFTA_GEN_ID.");
    }

    /// <summary>
    /// Commits a transaction as one atomic batch, as <c>nft -f FILE</c> does: every operation takes effect, or
    /// none does. Each operation is acknowledged on its own, so a refusal names the operation (and rule) that
    /// caused it; handles of added objects come back through <c>NLM_F_ECHO</c>.
    /// </summary>
    /// <exception cref="NftTransactionException">The kernel refused an operation or the batch; nothing changed.</exception>
    /// <exception cref="ArgumentException">The transaction is empty.</exception>
    public NftCommitResult Commit(NftTransaction transaction) => Commit(transaction, echo: true);

    /// <summary>
    /// Commits a transaction as one atomic batch, as <see cref="Commit(NftTransaction)"/> does; with <paramref name="echo"/>
    /// false the kernel is not asked to send the added objects back (<c>NLM_F_ECHO</c>), which saves it and this process
    /// their encoding and parsing when the caller needs no handles (<c>nft -f</c> without <c>--echo</c>). The result then
    /// holds no handles.
    /// </summary>
    /// <param name="transaction">The operations.</param>
    /// <param name="echo">True to ask for the handles of added tables, chains, sets and rules.</param>
    /// <exception cref="NftTransactionException">The kernel refused an operation or the batch; nothing changed.</exception>
    /// <exception cref="ArgumentException">The transaction is empty.</exception>
    public NftCommitResult Commit(NftTransaction transaction, bool echo)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Count == 0)
        {
            throw new ArgumentException("The transaction has no operations.", nameof(transaction));
        }

        int messages = transaction.Count + 2;
        lock (_gate)
        {
            try
            {
                return CommitLocked(transaction, echo, messages);
            }
            finally
            {
                // Keep what usual batches need; a one-off large batch (a big set's elements) is not held for the client's life.
                if (_batchBuffer.Length > MaxRetainedBatchBuffer)
                {
                    _batchBuffer = [];
                }

                if (_results.Length > MaxRetainedResults)
                {
                    _results = [];
                }
            }
        }
    }

    private NftCommitResult CommitLocked(NftTransaction transaction, bool echo, int messages)
    {
        // The batch is written into a buffer the client keeps (grown to the largest batch it sent) and the results
        // go to an array it keeps too, so a commit without echo allocates nothing once they are large enough.
        Span<byte> batch = EncodeIntoBuffer(transaction, echo);
        if (_results.Length < messages)
        {
            _results = new NetlinkResult[Math.Max(messages, _results.Length * 2)];
        }

        NetlinkResult[] results = _results;
        if (!echo)
        {
            if (Socket.RequestBatch(batch, results, null, NftWire.FamilyHeaderSize) > 0)
            {
                ThrowFailure(transaction, results.AsSpan(0, messages));
            }

            return EmptyResult(transaction.Count);
        }

        var handles = new ulong?[transaction.Count];
        var rules = new SortedList<int, NftRule>();
        if (Socket.RequestBatch(batch, results, (index, message) => OnEcho(index - 1, message, handles, rules), NftWire.FamilyHeaderSize) > 0)
        {
            ThrowFailure(transaction, results.AsSpan(0, messages));
        }

        return new NftCommitResult(handles, [.. rules.Values]);
    }

    /// <summary>Writes the batch into the client's buffer, growing it until the batch fits; returns the bytes written.</summary>
    private Span<byte> EncodeIntoBuffer(NftTransaction transaction, bool echo)
    {
        int wanted = 4096 + (transaction.Count * 512);
        if (_batchBuffer.Length < wanted)
        {
            _batchBuffer = GC.AllocateUninitializedArray<byte>(wanted);
        }

        while (true)
        {
            try
            {
                int length = transaction.Encode(_batchBuffer, acknowledge: true, echo: echo);
                return _batchBuffer.AsSpan(0, length);
            }
            catch (NetlinkBufferTooSmallException) when (_batchBuffer.Length < 64 * 1024 * 1024)
            {
                _batchBuffer = GC.AllocateUninitializedArray<byte>(_batchBuffer.Length * 2);
            }
        }
    }

    /// <summary>The result of a commit without echo: no handles, no rules; one shared instance per operation count (it is immutable).</summary>
    private NftCommitResult EmptyResult(int count)
    {
        NftCommitResult? result = _emptyResult;
        if (result is null || result.Handles.Count != count)
        {
            result = new NftCommitResult(new ulong?[count], []);
            _emptyResult = result;
        }

        return result;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowFailure(NftTransaction transaction, Span<NetlinkResult> results)
    {
        int messages = results.Length;
        var errors = new List<KeyValuePair<int, NetlinkException>>();
        for (int i = 0; i < messages; i++)
        {
            if (results[i].Error is NetlinkException e)
            {
                int op = i >= 1 && i <= transaction.Count ? i - 1 : -1;
                string name = op >= 0 ? transaction.Operations[op].ToString() : "nf_tables batch";
                errors.Add(new(op, e.WithOperation(name)));
            }
        }

        KeyValuePair<int, NetlinkException> first = errors[0];
        foreach (KeyValuePair<int, NetlinkException> e in errors)
        {
            if (e.Key >= 0)
            {
                first = e;
                break;
            }
        }

        results.Clear(); // the client's reused array must not keep the exceptions alive
        throw new NftTransactionException(first.Key, first.Key >= 0 ? transaction.Operations[first.Key] : null, first.Value, errors);
    }

    private static void OnEcho(int operation, NetlinkMessage message, ulong?[] handles, SortedList<int, NftRule> rules)
    {
        if (operation < 0 || operation >= handles.Length || (message.Type >> 8) != NFNL_SUBSYS_NFTABLES)
        {
            return;
        }

        switch ((ushort)(message.Type & 0xff))
        {
            case NFT_MSG_NEWRULE:
                NftRule rule = NftRule.Parse(message);
                handles[operation] = rule.Handle;
                rules[operation] = rule;
                break;
            case NFT_MSG_NEWTABLE:
                handles[operation] = NftTable.Parse(message).Handle;
                break;
            case NFT_MSG_NEWCHAIN:
                handles[operation] = NftChain.Parse(message).Handle;
                break;
            case NFT_MSG_NEWSET:
                handles[operation] = NftSet.Parse(message).Handle;
                break;
        }
    }
}

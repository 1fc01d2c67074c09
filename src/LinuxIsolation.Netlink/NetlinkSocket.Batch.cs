using System;

namespace LinuxIsolation.Netlink;

/// <summary>Receives a reply to message <paramref name="index"/> of a batch that is neither an error nor an acknowledgement (e.g. an <c>NLM_F_ECHO</c> copy).</summary>
/// <param name="index">Index of the message in the batch the reply answers (0 is the batch-begin message).</param>
/// <param name="message">The reply; valid only during the call.</param>
public delegate void NetlinkBatchReplyHandler(int index, NetlinkMessage message);

public sealed partial class NetlinkSocket
{
    private const int SO_SNDBUFFORCE = 32;
    private int _batchSendCapacity;
    private int _batchReceiveCapacity;

    /// <summary>
    /// Sends a netfilter batch (<c>NFNL_MSG_BATCH_BEGIN</c>, the messages, <c>NFNL_MSG_BATCH_END</c>, written one
    /// after the other) in one <c>sendmsg</c> and collects the kernel's answers, matched by sequence number.
    /// Flags are sent as written (<c>NLM_F_REQUEST</c> is added; <c>NLM_F_ACK</c> is not forced), so the
    /// batch markers stay plain requests as <c>nft</c> sends them.
    /// </summary>
    /// <remarks>
    /// The kernel handles a batch synchronously inside <c>sendmsg</c>, so every answer is queued when it returns;
    /// they are read without waiting, and the call waits (up to the reply timeout) only if a message that asked
    /// for an acknowledgement has none and no error was reported. An error on any message means the kernel
    /// aborted the whole batch; an error on message 0 means the commit itself failed.
    /// </remarks>
    /// <param name="messages">The batch, as written by <see cref="NetlinkWriter"/>; sequence numbers are assigned in place.</param>
    /// <param name="results">Receives one result per message, in order; at least as long as the message count.</param>
    /// <param name="onReply">Called for replies that are not errors or acknowledgements (echoed objects); may be null.</param>
    /// <param name="familyHeaderSize">Size of the messages' family header, to name the attribute an error points at; -1 if unknown.</param>
    /// <returns>The number of messages the kernel reported an error for.</returns>
    /// <exception cref="TimeoutException">An acknowledgement did not arrive in time.</exception>
    public int RequestBatch(Span<byte> messages, Span<NetlinkResult> results, NetlinkBatchReplyHandler? onReply = null, int familyHeaderSize = -1)
    {
        Enter();
        try
        {
            uint first = Stamp(messages, forceAck: false, out int count);
            if (results.Length < count)
            {
                throw new ArgumentException($"The results span has room for {results.Length} of {count} results.", nameof(results));
            }

            results.Slice(0, count).Clear();
            Span<bool> expectAck = count <= 512 ? stackalloc bool[count] : new bool[count];
            Span<bool> answered = count <= 512 ? stackalloc bool[count] : new bool[count];
            int pending = 0;
            int offset = 0;
            for (int i = 0; i < count; i++)
            {
                int length = (int)BitConverter.ToUInt32(messages.Slice(offset, 4));
                var flags = (NetlinkMessageFlags)BitConverter.ToUInt16(messages.Slice(offset + 6, 2));
                expectAck[i] = (flags & NetlinkMessageFlags.Ack) != 0;
                pending += expectAck[i] ? 1 : 0;
                offset += NetlinkWriter.Align(length);
            }

            int asked = pending;
            EnsureBatchBuffers(messages.Length, count);
            SendRaw(messages);
            int failures = 0;
            bool waited = false;
            while (true)
            {
                ReadOnlySpan<byte> datagram = ReceiveDatagram(waited ? ReplyTimeoutMilliseconds : 0);
                if (datagram.IsEmpty)
                {
                    if (pending == 0 || failures > 0)
                    {
                        return failures;
                    }

                    if (waited)
                    {
                        throw new TimeoutException($"The kernel did not acknowledge {pending} of {count} batch messages in time.");
                    }

                    waited = true;
                    continue;
                }

                foreach (NetlinkMessage message in new NetlinkReader(datagram))
                {
                    uint index = message.Sequence - first;
                    if (index >= (uint)count)
                    {
                        continue;
                    }

                    if (message.IsError)
                    {
                        NetlinkErrorMessage error = message.GetError();
                        if (!answered[(int)index])
                        {
                            answered[(int)index] = true;
                            if (expectAck[(int)index])
                            {
                                pending--;
                            }
                        }

                        if (!error.IsAcknowledgement && results[(int)index].Error is null)
                        {
                            failures++;
                            results[(int)index] = new NetlinkResult(message.Sequence, error.ToException(null, MessageAt(messages, (int)index), familyHeaderSize));
                        }
                        else if (results[(int)index].Error is null)
                        {
                            results[(int)index] = new NetlinkResult(message.Sequence, null);
                        }
                    }
                    else if (!message.IsDone && message.Type >= NetlinkMessageType.MinType)
                    {
                        onReply?.Invoke((int)index, message);
                    }
                }

                // nfnetlink queues a failed commit's error (on message 0) and every echo before the acknowledgements,
                // so once every acknowledgement asked for is in, with no error, nothing else is coming: no final empty read.
                if (pending == 0 && failures == 0 && asked > 0)
                {
                    return 0;
                }
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// The kernel takes a batch only as one datagram, so the send buffer must hold all of it, and the answers (an
    /// acknowledgement and possibly an echo per message) must fit the receive buffer: both are grown as nft does,
    /// with the FORCE options (CAP_NET_ADMIN) and the plain ones as a fallback. A send that still does not fit fails with EMSGSIZE.
    /// </summary>
    private void EnsureBatchBuffers(int batchLength, int count)
    {
        // What the socket is known to hold is remembered, so batches that fit cost no getsockopt.
        int send = batchLength + 4096, receive = (2 * batchLength) + (count * 256);
        if (send <= _batchSendCapacity && receive <= _batchReceiveCapacity)
        {
            return;
        }

        _batchSendCapacity = Grow(Interop.SO_SNDBUF, SO_SNDBUFFORCE, send);
        _batchReceiveCapacity = Grow(Interop.SO_RCVBUF, Interop.SO_RCVBUFFORCE, receive);

        int Grow(int option, int forceOption, int wanted)
        {
            // The kernel reports twice the value set (it accounts for bookkeeping) and limits a datagram to about that.
            if (_transport.TryGetOption(Interop.SOL_SOCKET, option, out int current) && current / 2 >= wanted)
            {
                return current / 2;
            }

            if (!_transport.TrySetOption(Interop.SOL_SOCKET, forceOption, wanted))
            {
                _ = _transport.TrySetOption(Interop.SOL_SOCKET, option, wanted);
            }

            return _transport.TryGetOption(Interop.SOL_SOCKET, option, out current) ? current / 2 : 0;
        }
    }
}

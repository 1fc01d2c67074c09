using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink;

/// <summary>
/// Reads the kernel's replies to one request sent with <see cref="NetlinkSocket.Exchange"/>: every message
/// with the request's sequence number except the final acknowledgement or <c>NLMSG_DONE</c>.
/// </summary>
/// <remarks>
/// A <c>ref struct</c> over the socket's receive buffer: <see cref="Current"/> is valid until the next
/// <see cref="MoveNext"/>. Dispose it (<c>foreach</c> and <c>using</c> do) to release the socket; a reader
/// disposed early reads and drops the rest of the replies.
/// </remarks>
public ref struct NetlinkReplyReader
{
    private readonly NetlinkSocket? _socket;
    private readonly uint _sequence;
    private readonly ReadOnlySpan<byte> _request;
    private readonly string? _operation;
    private readonly int _familyHeaderSize;
    private NetlinkReader _reader;
    private NetlinkMessage _current;
    private bool _finished;
    private bool _released;

    internal NetlinkReplyReader(NetlinkSocket socket, uint sequence, ReadOnlySpan<byte> request, string? operation, int familyHeaderSize)
    {
        _socket = socket;
        _sequence = sequence;
        _request = request;
        _operation = operation;
        _familyHeaderSize = familyHeaderSize;
        _reader = default;
        _current = default;
        _finished = false;
        _released = false;
        Interrupted = false;
    }

    /// <summary>The reply found by the last successful <see cref="MoveNext"/>.</summary>
    public readonly NetlinkMessage Current => _current;

    /// <summary>
    /// True once any reply carried <c>NLM_F_DUMP_INTR</c>: the object table changed during the dump, so the
    /// data read may be inconsistent (repeat the dump for a consistent view).
    /// </summary>
    public bool Interrupted { get; private set; }

    /// <summary>Returns this reader, for <c>foreach</c>.</summary>
    public readonly NetlinkReplyReader GetEnumerator() => this;

    /// <summary>Moves to the next reply; false once the kernel has said it is done.</summary>
    /// <exception cref="NetlinkException">The kernel answered with an error.</exception>
    /// <exception cref="NetlinkDecodeException">The kernel's reply is malformed.</exception>
    public bool MoveNext()
    {
        if (_finished || _socket is null)
        {
            return false;
        }

        try
        {
            while (true)
            {
                while (_reader.MoveNext())
                {
                    NetlinkMessage message = _reader.Current;
                    if (message.Sequence != _sequence)
                    {
                        continue;
                    }

                    if ((message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0)
                    {
                        Interrupted = true;
                    }

                    if (message.IsError)
                    {
                        NetlinkErrorMessage error = message.GetError();
                        Finish();
                        if (!error.IsAcknowledgement)
                        {
                            throw error.ToException(_operation, _request, _familyHeaderSize);
                        }

                        return false;
                    }

                    if (message.IsDone)
                    {
                        Finish();
                        ThrowIfDumpFailed(message);
                        return false;
                    }

                    if (message.Type is NetlinkMessageType.Noop or NetlinkMessageType.Overrun)
                    {
                        continue;
                    }

                    _current = message;
                    return true;
                }

                _reader = new NetlinkReader(_socket.ReceiveForExchange());
            }
        }
        catch
        {
            Finish();
            throw;
        }
    }

    /// <summary>
    /// Releases the socket for the next exchange. Replies not yet read are read and dropped first: the kernel
    /// refuses a new dump (EBUSY) while an earlier one on the same socket is unfinished.
    /// </summary>
    public void Dispose()
    {
        if (!_finished && _socket is not null)
        {
            try
            {
                while (MoveNext())
                {
                }
            }
            catch (Exception e) when (e is NetlinkException or NetlinkDecodeException or NetlinkOverrunException or TimeoutException or ObjectDisposedException)
            {
                // The exchange is being abandoned; its outcome no longer matters to anyone.
            }
        }

        Finish();
    }

    private void Finish()
    {
        _finished = true;
        if (!_released && _socket is not null)
        {
            _released = true;
            _socket.EndExchange();
        }
    }

    /// <summary>A dump that failed part way ends with <c>NLMSG_DONE</c> carrying a negative errno and, possibly, extended-ACK attributes.</summary>
    private readonly void ThrowIfDumpFailed(NetlinkMessage done)
    {
        ReadOnlySpan<byte> payload = done.Payload;
        if (payload.Length < sizeof(int))
        {
            return;
        }

        int error = Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(payload));
        if (error >= 0)
        {
            return;
        }

        string? text = null;
        if ((done.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            var attributes = new NetlinkAttributeReader(payload.Slice(sizeof(int)));
            if (attributes.TryFind(NetlinkErrorMessage.AttrMessage, out NetlinkAttribute a))
            {
                text = a.GetString();
            }
        }

        throw new NetlinkException(error == int.MinValue ? int.MaxValue : -error, _operation, text);
    }
}

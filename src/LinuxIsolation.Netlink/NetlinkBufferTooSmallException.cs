using System;

namespace LinuxIsolation.Netlink;

/// <summary>Thrown by <see cref="NetlinkWriter"/> when a message does not fit in its buffer.</summary>
public sealed class NetlinkBufferTooSmallException : InvalidOperationException
{
    /// <summary>Creates the exception for a write that needed <paramref name="needed"/> bytes of <paramref name="available"/>.</summary>
    public NetlinkBufferTooSmallException(int needed, int available)
        : base($"The netlink buffer is too small: {needed} bytes needed, {available} available.")
    {
        Needed = needed;
        Available = available;
    }

    /// <summary>Creates the exception with a message.</summary>
    public NetlinkBufferTooSmallException(string message)
        : base(message)
    {
    }

    /// <summary>Bytes the write needed from the start of the buffer (0 when not known).</summary>
    public int Needed { get; }

    /// <summary>Size of the buffer (0 when not known).</summary>
    public int Available { get; }
}

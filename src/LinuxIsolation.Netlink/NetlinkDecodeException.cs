using System;

namespace LinuxIsolation.Netlink;

/// <summary>
/// The one exception the netlink readers throw on malformed input: a length field that points outside
/// its container, a message or attribute too short for the value asked of it.
/// </summary>
public sealed class NetlinkDecodeException : FormatException
{
    /// <summary>Creates the exception with a message saying what was malformed.</summary>
    public NetlinkDecodeException(string message)
        : base(message)
    {
    }
}

using System;
using System.Diagnostics.CodeAnalysis;

namespace LinuxIsolation.Netlink;

/// <summary>Throw helpers that keep the hot paths small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    internal static void ThrowBufferTooSmall(int needed, int available) =>
        throw new NetlinkBufferTooSmallException(needed, available);

    [DoesNotReturn]
    internal static void ThrowAttributeTooLong(int length) =>
        throw new NetlinkBufferTooSmallException($"A netlink attribute of {length} bytes exceeds the 65,535-byte limit of nla_len.");

    [DoesNotReturn]
    internal static void ThrowScopeOrder() =>
        throw new InvalidOperationException("Netlink scopes must be closed innermost first: this token is not the innermost open message or nested attribute.");

    [DoesNotReturn]
    internal static void ThrowDecode(string message) => throw new NetlinkDecodeException(message);
}

using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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

    // Generic and not inlined so that typeof(T) stays out of NetlinkMessage.ReadHeader<T>: resolving it
    // while compiling a decode loop (on-stack replacement compiles on the loop's own thread) made a
    // one-time 24 B allocation on that thread, visible in an otherwise allocation-free decode.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowHeaderTooShort<T>(ushort messageType, int payloadLength) where T : unmanaged =>
        throw new NetlinkDecodeException($"Netlink message type {messageType} has a {payloadLength}-byte payload, too short for a {Unsafe.SizeOf<T>()}-byte {typeof(T).Name}.");
}

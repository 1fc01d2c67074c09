using System;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Names a network namespace for rtnetlink requests that place a link in it: by an open namespace file
/// descriptor (<c>IFLA_NET_NS_FD</c>: a handle of <c>/run/netns/NAME</c> or <c>/proc/PID/ns/net</c>) or by a
/// process id (<c>IFLA_NET_NS_PID</c>: the namespace that process is in). The default value names no namespace
/// (the socket's own).
/// </summary>
/// <remarks>
/// A target made from a <see cref="SafeHandle"/> keeps the handle, so the client can hold a reference on it
/// while the request is in flight; one made from a raw descriptor does not own it. Prefer the handle, or a
/// pid only when the process cannot exit meanwhile: a pid can be reused.
/// </remarks>
public readonly struct NetworkNamespaceTarget : IEquatable<NetworkNamespaceTarget>
{
    private readonly int _value;
    private readonly byte _kind;

    private NetworkNamespaceTarget(int value, byte kind, SafeHandle? handle)
    {
        _value = value;
        _kind = kind;
        Handle = handle;
    }

    private const byte KindNone = 0;
    private const byte KindFd = 1;
    private const byte KindPid = 2;

    /// <summary>The namespace's handle, when the target was made from one.</summary>
    public SafeHandle? Handle { get; }

    /// <summary>True when a namespace is named (false for <c>default</c>).</summary>
    public bool IsSpecified => _kind != KindNone;

    /// <summary>True when the namespace is named by a file descriptor (handle or raw).</summary>
    public bool IsFileDescriptor => _kind == KindFd;

    /// <summary>The process id, when the namespace is named by one; otherwise 0.</summary>
    public int ProcessId => _kind == KindPid ? _value : 0;

    /// <summary>Names the network namespace whose open file is <paramref name="handle"/> (e.g. from <c>File.OpenHandle("/run/netns/NAME")</c>).</summary>
    /// <exception cref="ArgumentException">The handle is closed or invalid.</exception>
    public static NetworkNamespaceTarget FromHandle(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.IsClosed || handle.IsInvalid)
        {
            throw new ArgumentException("The network namespace handle is closed or invalid.", nameof(handle));
        }

        return new NetworkNamespaceTarget(0, KindFd, handle);
    }

    /// <summary>Names the network namespace open as file descriptor <paramref name="fd"/>; the caller keeps it open until the request completes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative.</exception>
    public static NetworkNamespaceTarget FromFileDescriptor(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        return new NetworkNamespaceTarget(fd, KindFd, null);
    }

    /// <summary>Names the network namespace process <paramref name="pid"/> is in (what <c>ip link ... netns PID</c> does).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pid"/> is not positive.</exception>
    public static NetworkNamespaceTarget FromProcess(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        return new NetworkNamespaceTarget(pid, KindPid, null);
    }

    /// <summary>Same as <see cref="FromHandle"/>.</summary>
    public static implicit operator NetworkNamespaceTarget(SafeHandle handle) => FromHandle(handle);

    /// <summary>
    /// Writes the attribute naming this namespace (<c>IFLA_NET_NS_FD</c> or <c>IFLA_NET_NS_PID</c>); writes
    /// nothing for the default value. A handle's descriptor is read without a reference: keep the handle open
    /// until the message has been sent.
    /// </summary>
    public void Write(ref NetlinkWriter writer)
    {
        switch (_kind)
        {
            case KindFd:
                writer.WriteUInt32(Ifla.IFLA_NET_NS_FD, (uint)(Handle is null ? _value : (int)Handle.DangerousGetHandle()));
                break;
            case KindPid:
                writer.WriteUInt32(Ifla.IFLA_NET_NS_PID, (uint)_value);
                break;
        }
    }

    /// <summary>Describes the target for error messages ("netns fd 7", "netns of pid 42").</summary>
    public override string ToString() => _kind switch
    {
        KindFd => Handle is null ? $"netns fd {_value}" : "netns handle",
        KindPid => $"netns of pid {_value}",
        _ => "this netns",
    };

    /// <inheritdoc />
    public bool Equals(NetworkNamespaceTarget other) => _kind == other._kind && _value == other._value && ReferenceEquals(Handle, other.Handle);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is NetworkNamespaceTarget other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_kind, _value, Handle);

    /// <summary>Equality.</summary>
    public static bool operator ==(NetworkNamespaceTarget left, NetworkNamespaceTarget right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NetworkNamespaceTarget left, NetworkNamespaceTarget right) => !left.Equals(right);

    /// <summary>Adds a reference on the handle (if any) for the duration of a request.</summary>
    internal bool AddRef()
    {
        bool added = false;
        Handle?.DangerousAddRef(ref added);
        return added;
    }

    internal void Release(bool added)
    {
        if (added)
        {
            Handle!.DangerousRelease();
        }
    }
}

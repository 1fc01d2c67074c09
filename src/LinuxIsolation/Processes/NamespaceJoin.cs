using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Processes;

/// <summary>
/// An existing namespace for an <see cref="IsolatedProcess"/> to join (setns(2)), given by an open namespace
/// file descriptor or by its path (<c>/run/netns/NAME</c> as <c>ip netns add</c> makes it, or
/// <c>/proc/PID/ns/net</c>). The equivalent of <c>ip netns exec NAME</c> or <c>nsenter --net=PATH</c>.
/// </summary>
/// <remarks>
/// The child joins before it does anything else. Joining needs CAP_SYS_ADMIN in the user namespace that owns
/// the namespace joined, so a namespace owned by the caller's user namespace cannot be joined together with a
/// new user namespace (the setns step then fails with EPERM). A PID namespace (what <c>runc exec</c> and
/// <c>nsenter --pid</c> join) applies to a task's children, so it is joined by the spawning thread just around
/// clone: the process starts inside it. Joining a time namespace is not supported (the kernel allows it only in
/// a single-threaded process).
/// </remarks>
public sealed class NamespaceJoin
{
    private NamespaceJoin(NamespaceFlags kind, string? path, SafeHandle? handle)
    {
        Kind = kind;
        Path = path;
        Handle = handle;
    }

    /// <summary>The kind of namespace: exactly one flag; the kernel checks the file is one.</summary>
    public NamespaceFlags Kind { get; }

    /// <summary>The namespace file's path, or null when given as a handle.</summary>
    public string? Path { get; }

    /// <summary>The open namespace file, or null when given as a path. The caller keeps owning it.</summary>
    public SafeHandle? Handle { get; }

    /// <summary>Joins the namespace file at <paramref name="path"/>, opened when the process starts.</summary>
    /// <param name="kind">The kind of namespace, one flag.</param>
    /// <param name="path">An absolute path such as <c>/run/netns/NAME</c> or <c>/proc/PID/ns/net</c>.</param>
    public static NamespaceJoin FromPath(NamespaceFlags kind, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new NamespaceJoin(kind, path, null);
    }

    /// <summary>Joins the namespace open as <paramref name="handle"/> (an fd of a namespace file).</summary>
    /// <param name="kind">The kind of namespace, one flag.</param>
    /// <param name="handle">The open namespace file; it must stay open until the process has started.</param>
    public static NamespaceJoin FromHandle(NamespaceFlags kind, SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return new NamespaceJoin(kind, null, handle);
    }

    /// <summary>Joins the network namespace <paramref name="name"/> made by <c>ip netns add NAME</c>.</summary>
    /// <param name="name">The name under <c>/run/netns</c>.</param>
    public static NamespaceJoin NetworkNamespace(string name)
    {
        Namespaces.NetworkNamespaceName.Validate(name, nameof(name));
        return new NamespaceJoin(NamespaceFlags.Network, Namespaces.NetworkNamespace.PathOf(name), null);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Path ?? "fd"}";
}

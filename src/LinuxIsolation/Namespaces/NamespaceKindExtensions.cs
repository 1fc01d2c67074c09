using System;

namespace LinuxIsolation.Namespaces;

/// <summary>Helpers for <see cref="NamespaceKind"/>.</summary>
public static class NamespaceKindExtensions
{
    /// <summary>
    /// The name of the namespace's file under <c>/proc/PID/ns/</c> (and the prefix of its <c>readlink</c> text,
    /// e.g. <c>net:[4026531840]</c>): mnt, uts, ipc, net, pid, user, cgroup or time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static string ProcName(this NamespaceKind kind) => kind switch
    {
        NamespaceKind.Mount => "mnt",
        NamespaceKind.Uts => "uts",
        NamespaceKind.Ipc => "ipc",
        NamespaceKind.Network => "net",
        NamespaceKind.Pid => "pid",
        NamespaceKind.User => "user",
        NamespaceKind.Cgroup => "cgroup",
        NamespaceKind.Time => "time",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a namespace kind (one CLONE_NEW* flag)."),
    };

    internal static bool IsDefinedKind(this NamespaceKind kind) => kind is NamespaceKind.Mount or NamespaceKind.Uts or NamespaceKind.Ipc
        or NamespaceKind.Network or NamespaceKind.Pid or NamespaceKind.User or NamespaceKind.Cgroup or NamespaceKind.Time;
}

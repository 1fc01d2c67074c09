using System;
using System.Text;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Namespaces;

/// <summary>Validation of per-network-namespace sysctl keys and their paths under <c>/proc/sys</c>.</summary>
internal static class SysctlKey
{
    private const int MaxLength = 1024;

    /// <summary>
    /// Turns a key such as <c>net.ipv4.ip_forward</c> into <c>/proc/sys/net/ipv4/ip_forward</c>. As with
    /// <c>sysctl(8)</c>, a key containing <c>/</c> uses <c>/</c> as its separator, so that a component may contain
    /// dots (<c>net/ipv4/conf/eth0.100/forwarding</c>). Only keys under <c>net</c> are accepted; no component may be
    /// empty, <c>.</c> or <c>..</c>, and NUL and control characters are refused.
    /// </summary>
    internal static string ToPath(string key) => ToPath(key, networkOnly: true);

    /// <summary>
    /// The namespace that makes <paramref name="key"/> local to a container, as runc decides it: <c>net.*</c> the
    /// network namespace; the System V IPC limits (<c>kernel.msgmax</c>, <c>msgmnb</c>, <c>msgmni</c>, <c>sem</c>,
    /// <c>shmall</c>, <c>shmmax</c>, <c>shmmni</c>, <c>shm_rmid_forced</c>) and <c>fs.mqueue.*</c> the IPC namespace;
    /// <c>kernel.hostname</c> and <c>kernel.domainname</c> the UTS namespace. Any other key is global: writing it
    /// from a container would change the host, so it is refused.
    /// </summary>
    internal static (string Path, NamespaceFlags Namespace) ToNamespacedPath(string key)
    {
        string path = ToPath(key, networkOnly: false);
        string normal = path["/proc/sys/".Length..];
        NamespaceFlags ns = normal switch
        {
            _ when normal.StartsWith("net/", StringComparison.Ordinal) => NamespaceFlags.Network,
            _ when normal.StartsWith("fs/mqueue/", StringComparison.Ordinal) => NamespaceFlags.Ipc,
            "kernel/msgmax" or "kernel/msgmnb" or "kernel/msgmni" or "kernel/sem" or "kernel/shmall" or "kernel/shmmax"
                or "kernel/shmmni" or "kernel/shm_rmid_forced" => NamespaceFlags.Ipc,
            "kernel/hostname" or "kernel/domainname" => NamespaceFlags.Uts,
            _ => throw new ArgumentException($"'{key}' is not a namespaced sysctl: written from a container it would change the host (namespaced are net.*, fs.mqueue.*, the kernel.msg*/sem/shm* IPC limits, kernel.hostname and kernel.domainname).", nameof(key)),
        };
        return (path, ns);
    }

    private static string ToPath(string key, bool networkOnly)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("A sysctl key must not be empty.", nameof(key));
        }

        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"A sysctl key must be at most {MaxLength} characters.", nameof(key));
        }

        foreach (char c in key)
        {
            if (c == '\0' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new ArgumentException("A sysctl key must not contain NUL, control characters or whitespace.", nameof(key));
            }
        }

        char separator = key.Contains('/', StringComparison.Ordinal) ? '/' : '.';
        string[] parts = key.Split(separator);
        if (parts.Length < 2 || (networkOnly && parts[0] != "net"))
        {
            throw new ArgumentException($"'{key}' is not a per-network-namespace sysctl: the key must start with 'net{separator}'.", nameof(key));
        }

        var path = new StringBuilder("/proc/sys", 10 + key.Length);
        foreach (string part in parts)
        {
            if (part.Length == 0 || part is "." or "..")
            {
                throw new ArgumentException($"'{key}' has an empty, '.' or '..' component.", nameof(key));
            }

            if (Encoding.UTF8.GetByteCount(part) > NetworkNamespaceName.MaxBytes)
            {
                throw new ArgumentException($"'{key}' has a component longer than {NetworkNamespaceName.MaxBytes} bytes.", nameof(key));
            }

            path.Append('/').Append(part);
        }

        return path.ToString();
    }
}

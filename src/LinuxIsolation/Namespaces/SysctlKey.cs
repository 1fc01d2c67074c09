using System;
using System.Text;

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
    internal static string ToPath(string key)
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
        if (parts.Length < 2 || parts[0] != "net")
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

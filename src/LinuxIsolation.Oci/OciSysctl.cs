using System;

namespace LinuxIsolation.Oci;

/// <summary>
/// One <c>linux.sysctl</c> entry, normalized to dots ("net/ipv4/ip_forward" becomes "net.ipv4.ip_forward") and
/// classified by the namespace it must be written from: <c>/proc/sys/KEY-with-slashes</c>, opened by a thread
/// inside that namespace of the container (Equivalent to <c>nsenter -t PID -n sysctl -w KEY=VALUE</c>).
/// </summary>
/// <param name="Key">The dotted name.</param>
/// <param name="Value">The value to write.</param>
/// <param name="Namespace">The namespace it belongs to.</param>
public sealed record OciSysctl(string Key, string Value, OciSysctlNamespace Namespace)
{
    /// <summary>The file below /proc/sys: dots become slashes.</summary>
    public string ProcPath => "/proc/sys/" + Key.Replace('.', '/');

    /// <summary>Converts a slash-separated name to the dotted form (as sysctl(8) and runc accept both); a dotted name is kept.</summary>
    /// <param name="key">The name as config.json gives it.</param>
    public static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int first = key.IndexOfAny(['.', '/']);
        if (first < 0 || key[first] == '.')
        {
            return key;
        }

        // Slash-separated: dots inside a component (an interface "eth0.100") become slashes in the other form.
        char[] chars = key.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch { '/' => '.', '.' => '/', _ => chars[i] };
        }

        return new string(chars);
    }

    /// <summary>The namespace of <paramref name="key"/> (dotted), by runc's rules.</summary>
    /// <param name="key">The dotted name.</param>
    public static OciSysctlNamespace Classify(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (OciNames.Contains(OciNames.IpcSysctls, key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal))
        {
            return OciSysctlNamespace.Ipc;
        }

        if (key.StartsWith("net.", StringComparison.Ordinal))
        {
            return OciSysctlNamespace.Network;
        }

        if (key is "kernel.domainname" or "kernel.hostname")
        {
            return OciSysctlNamespace.Uts;
        }

        return key.StartsWith("user.", StringComparison.Ordinal) ? OciSysctlNamespace.User : OciSysctlNamespace.None;
    }
}

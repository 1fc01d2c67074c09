using System;
using System.Text;

namespace LinuxIsolation.Namespaces;

/// <summary>Validation of names of iproute2-style network namespaces (files in <c>/run/netns</c>).</summary>
internal static class NetworkNamespaceName
{
    /// <summary>NAME_MAX: the longest file name, in bytes.</summary>
    internal const int MaxBytes = 255;

    /// <summary>
    /// Refuses a name that is not a single plain file name in <c>/run/netns</c>: empty, longer than 255 UTF-8
    /// bytes, <c>.</c> or <c>..</c>, containing <c>/</c>, NUL or another control character.
    /// </summary>
    internal static void Validate(string name, string parameterName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, parameterName);
        if (name.Length == 0)
        {
            throw new ArgumentException("A network namespace name must not be empty.", parameterName);
        }

        if (name is "." or "..")
        {
            throw new ArgumentException($"A network namespace name must not be '{name}': it would leave /run/netns.", parameterName);
        }

        foreach (char c in name)
        {
            if (c == '/')
            {
                throw new ArgumentException($"A network namespace name must not contain '/' ('{name}'): it would leave /run/netns.", parameterName);
            }

            if (c == '\0' || char.IsControl(c))
            {
                throw new ArgumentException("A network namespace name must not contain NUL or control characters.", parameterName);
            }
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            throw new ArgumentException($"A network namespace name must be at most {MaxBytes} bytes (NAME_MAX), not {Encoding.UTF8.GetByteCount(name)}.", parameterName);
        }
    }
}

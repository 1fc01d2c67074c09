using System;
using System.Text;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Rules for Linux interface names, as the kernel's <c>dev_valid_name()</c> applies them.</summary>
public static class InterfaceName
{
    /// <summary>The longest name in bytes (<c>IFNAMSIZ</c> - 1).</summary>
    public const int MaxLength = 15;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is 1 to 15 bytes of UTF-8, without
    /// <c>/</c>, <c>:</c>, whitespace or NUL, and is not "." or "..".
    /// </summary>
    public static void Validate(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0)
        {
            throw new ArgumentException("An interface name cannot be empty.", paramName);
        }

        if (name is "." or "..")
        {
            throw new ArgumentException($"\"{name}\" is not a valid interface name.", paramName);
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxLength)
        {
            throw new ArgumentException($"The interface name \"{name}\" is {bytes} bytes long; the limit is {MaxLength} (IFNAMSIZ - 1).", paramName);
        }

        foreach (char c in name)
        {
            if (c == '/' || c == ':' || c == '\0' || char.IsWhiteSpace(c))
            {
                throw new ArgumentException($"The interface name \"{name}\" contains '{(c == '\0' ? "\\0" : c.ToString())}'; names cannot contain '/', ':', NUL or whitespace.", paramName);
            }
        }
    }
}

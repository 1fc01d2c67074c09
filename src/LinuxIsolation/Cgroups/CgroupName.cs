using System;
using System.Text;

namespace LinuxIsolation.Cgroups;

/// <summary>Validates cgroup names and interface file names so that no path can leave its parent.</summary>
public static class CgroupName
{
    /// <summary>The longest name in bytes (UTF-8): <c>NAME_MAX</c>.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is one path component: not empty,
    /// not "." or "..", no '/', no NUL or other control character (they would garble <c>/proc/PID/cgroup</c>),
    /// at most <see cref="MaxLength"/> UTF-8 bytes.
    /// </summary>
    /// <param name="name">The name to check.</param>
    /// <param name="paramName">The argument name reported in the exception.</param>
    public static void Validate(string name, string paramName = "name")
    {
        string? error = GetError(name);
        if (error is not null)
        {
            throw new ArgumentException($"cgroup name \"{name}\" is invalid: {error}", paramName);
        }
    }

    /// <summary>Returns true when <paramref name="name"/> passes <see cref="Validate"/>.</summary>
    public static bool IsValid(string name) => GetError(name) is null;

    internal static string? GetError(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name == "." || name == "..")
        {
            return "\".\" and \"..\" are not names";
        }

        foreach (char c in name)
        {
            if (c == '/')
            {
                return "it contains '/' (one path component only)";
            }

            if (c == '\0')
            {
                return "it contains NUL";
            }

            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxLength)
        {
            return $"it is longer than {MaxLength} bytes";
        }

        return null;
    }
}

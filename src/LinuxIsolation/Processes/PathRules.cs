using System;

namespace LinuxIsolation.Processes;

/// <summary>Argument checks on paths and strings handed to the child.</summary>
internal static class PathRules
{
    public static void RequireAbsolute(string? path, string parameterName, string what)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw new ArgumentException($"{Capitalize(what)} must be an absolute path: \"{path}\".", parameterName);
        }

        RequireNoNul(path, parameterName);
        foreach (string part in path.Split('/'))
        {
            if (part == "..")
            {
                throw new ArgumentException($"{Capitalize(what)} cannot contain \"..\": \"{path}\".", parameterName);
            }
        }

        if (System.Text.Encoding.UTF8.GetByteCount(path) >= 1024)
        {
            throw new ArgumentException($"{Capitalize(what)} is longer than 1023 bytes.", parameterName);
        }
    }

    public static void RequireNoNul(string? value, string parameterName)
    {
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A string passed to the process contains a NUL character.", parameterName);
        }
    }

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

using System;

namespace LinuxIsolation.Oci.State;

/// <summary>Container ids as runc allows them: 1 to 1024 of <c>0-9 A-Z a-z _ + - .</c>, and not "." or ".." (so an id is one path component that cannot leave the root directory).</summary>
public static class OciContainerId
{
    /// <summary>The longest id accepted.</summary>
    public const int MaxLength = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> ("invalid container ID format") when <paramref name="id"/> is not a valid id.</summary>
    /// <param name="id">The id.</param>
    public static void Validate(string? id)
    {
        string? error = GetError(id);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(id));
        }
    }

    /// <summary>True when <paramref name="id"/> is a valid id.</summary>
    /// <param name="id">The id.</param>
    public static bool IsValid(string? id) => GetError(id) is null;

    private static string? GetError(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "invalid container ID format: the id is empty";
        }

        if (id.Length > MaxLength)
        {
            return $"invalid container ID format: longer than {MaxLength} characters";
        }

        if (id is "." or "..")
        {
            return $"invalid container ID format: \"{id}\" is not a name";
        }

        foreach (char c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '+' or '-' or '.'))
            {
                return $"invalid container ID format: \"{id}\" has '{c}' (allowed: 0-9 A-Z a-z _ + - .)";
            }
        }

        return null;
    }
}

using System;
using System.Text;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>Checks the names of tables, chains and sets before anything is sent.</summary>
internal static class NftNames
{
    /// <summary><c>NFT_NAME_MAXLEN</c>, terminator included.</summary>
    public const int MaxLength = 256;

    public static string ValidateTable(string? name, string paramName) => Validate(name, paramName, "table");

    public static string ValidateChain(string? name, string paramName) => Validate(name, paramName, "chain");

    public static string ValidateSet(string? name, string paramName) => Validate(name, paramName, "set");

    private static string Validate(string? name, string paramName, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"An nf_tables {what} name must not be empty.", paramName);
        }

        if (Encoding.UTF8.GetByteCount(name) >= MaxLength)
        {
            throw new ArgumentException($"An nf_tables {what} name is at most {MaxLength - 1} bytes: \"{name}\" is longer.", paramName);
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"An nf_tables {what} name must not contain NUL.", paramName);
        }

        return name;
    }
}

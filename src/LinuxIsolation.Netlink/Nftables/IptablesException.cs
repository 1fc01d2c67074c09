using System;
using System.Collections.Generic;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// An iptables program failed. For <c>iptables-restore</c> nothing of the failing table's input took effect, and
/// <see cref="IptablesNatBackend"/> has undone the commits it made before it (<see cref="Undone"/>), except those
/// listed in <see cref="LeftApplied"/>.
/// </summary>
public sealed class IptablesException : Exception
{
    /// <summary>Creates the exception for a program that failed with nothing made before it to undo.</summary>
    public IptablesException(string program, IptablesCommandResult result, string? input)
        : this(program, result, input, [], [])
    {
    }

    /// <summary>Creates the exception, with what was undone and what stayed applied because its undo failed too.</summary>
    public IptablesException(string program, IptablesCommandResult result, string? input, IReadOnlyList<string> undone, IReadOnlyList<string> leftApplied)
        : base(Describe(program, result, undone, leftApplied))
    {
        Program = program;
        Result = result!;
        Input = input;
        Undone = undone ?? [];
        LeftApplied = leftApplied ?? [];
    }

    /// <summary>The program that failed.</summary>
    public string Program { get; }

    /// <summary>Its exit code and output.</summary>
    public IptablesCommandResult Result { get; }

    /// <summary>The input it was given (the <c>iptables-restore</c> script), or null.</summary>
    public string? Input { get; }

    /// <summary>The commits made before the failure that were undone (program and table, e.g. <c>iptables-nft-restore *nat</c>).</summary>
    public IReadOnlyList<string> Undone { get; }

    /// <summary>The commits made before the failure whose undo failed as well: they are still in effect. Empty when nothing was left.</summary>
    public IReadOnlyList<string> LeftApplied { get; }

    private static string Describe(string program, IptablesCommandResult result, IReadOnlyList<string>? undone, IReadOnlyList<string>? leftApplied)
    {
        string message = $"{program} exited with code {result?.ExitCode}: {result?.StandardError.Trim()}";
        if (leftApplied is { Count: > 0 })
        {
            return message + $" The earlier commits could not all be undone; still applied: {string.Join("; ", leftApplied)}" +
                (undone is { Count: > 0 } ? $"; undone: {string.Join(", ", undone)}." : ".");
        }

        return undone is { Count: > 0 } ? message + $" The earlier commits were undone ({string.Join(", ", undone)}): nothing was changed." : message;
    }
}

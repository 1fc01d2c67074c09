using System;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>An iptables program failed; for <c>iptables-restore</c> nothing of the failing table's input took effect.</summary>
public sealed class IptablesException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IptablesException(string program, IptablesCommandResult result, string? input)
        : base($"{program} exited with code {result?.ExitCode}: {result?.StandardError.Trim()}")
    {
        Program = program;
        Result = result!;
        Input = input;
    }

    /// <summary>The program that failed.</summary>
    public string Program { get; }

    /// <summary>Its exit code and output.</summary>
    public IptablesCommandResult Result { get; }

    /// <summary>The input it was given (the <c>iptables-restore</c> script), or null.</summary>
    public string? Input { get; }
}

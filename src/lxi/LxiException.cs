using System;

namespace LinuxIsolation.Lxi;

/// <summary>A command failed with a message for the user; lxi logs it as runc does and exits 1.</summary>
internal sealed class LxiException : Exception
{
    public LxiException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>Print the command's usage before the message (runc's "Incorrect Usage.").</summary>
    public bool ShowUsage { get; init; }
}

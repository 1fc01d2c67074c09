using System;

namespace LinuxIsolation.Oci.State;

/// <summary>A container-state operation was refused: the container does not exist, already exists, or is in the wrong status for the command. The message reads as runc's ("container does not exist").</summary>
public sealed class OciStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why it was refused.</param>
    /// <param name="id">The container id.</param>
    /// <param name="message">The message.</param>
    public OciStateException(OciStateError kind, string id, string message)
        : base(message)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Why it was refused.</summary>
    public OciStateError Kind { get; }

    /// <summary>The container id.</summary>
    public string Id { get; }
}

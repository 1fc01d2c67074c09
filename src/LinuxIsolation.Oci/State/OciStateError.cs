namespace LinuxIsolation.Oci.State;

/// <summary>Why an <see cref="OciStateException"/> was thrown.</summary>
public enum OciStateError
{
    /// <summary>No container with that id exists under the root.</summary>
    NotFound,

    /// <summary>A container with that id exists already.</summary>
    AlreadyExists,

    /// <summary>The container's status does not allow the command (start of a running container, delete of a running one without --force).</summary>
    WrongStatus,

    /// <summary>The state file is unreadable or damaged.</summary>
    Corrupt,
}

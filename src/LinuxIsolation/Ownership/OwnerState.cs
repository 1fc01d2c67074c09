namespace LinuxIsolation.Ownership;

/// <summary>Whether the process that created a tagged object still runs (see <see cref="ResourceOwner.GetState"/>).</summary>
public enum OwnerState
{
    /// <summary>The process runs: same pid, same start time, not a zombie. Its objects are never removed.</summary>
    Alive,

    /// <summary>The process is gone, a zombie, or its pid now belongs to another process: its objects are leftovers.</summary>
    Dead,

    /// <summary>The owner ran in another pid namespace, so its pid cannot be checked from here; its objects are never removed.</summary>
    Unknown,
}

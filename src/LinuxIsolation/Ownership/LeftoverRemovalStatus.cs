namespace LinuxIsolation.Ownership;

/// <summary>The outcome of removing one <see cref="Leftover"/>.</summary>
public enum LeftoverRemovalStatus
{
    /// <summary>Removed.</summary>
    Removed,

    /// <summary>A link or table inside a named namespace that was removed in the same call: it goes with the namespace.</summary>
    RemovedWithNamespace,

    /// <summary>It no longer existed when its turn came (e.g. a veth whose peer's namespace was dropped).</summary>
    AlreadyGone,

    /// <summary>Left alone: on a second look it was no longer the dead owner's (tag changed, owner alive, namespace replaced).</summary>
    Skipped,

    /// <summary>Removing it failed; see <see cref="LeftoverRemoval.Error"/>.</summary>
    Failed,
}

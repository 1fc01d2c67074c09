using System;

namespace LinuxIsolation.Ownership;

/// <summary>What <see cref="Leftovers.Remove"/> did with one leftover.</summary>
/// <param name="Leftover">The leftover.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">What happened, in words.</param>
/// <param name="Error">The exception, when it failed.</param>
public sealed record LeftoverRemoval(Leftover Leftover, LeftoverRemovalStatus Status, string Detail, Exception? Error = null)
{
    /// <summary>True when the object is gone (removed, with its namespace, or already).</summary>
    public bool Succeeded => Status is LeftoverRemovalStatus.Removed or LeftoverRemovalStatus.RemovedWithNamespace or LeftoverRemovalStatus.AlreadyGone;
}

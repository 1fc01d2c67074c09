namespace LinuxIsolation.Processes;

/// <summary>A resource limit for the process (setrlimit(2); <c>prlimit --nofile=SOFT:HARD</c>).</summary>
/// <param name="Resource">What is limited.</param>
/// <param name="Soft">The soft limit; <see cref="Unlimited"/> for none.</param>
/// <param name="Hard">The hard limit, at least <paramref name="Soft"/>; <see cref="Unlimited"/> for none.</param>
public readonly record struct ResourceLimit(ResourceLimitKind Resource, ulong Soft, ulong Hard)
{
    /// <summary>RLIM_INFINITY.</summary>
    public const ulong Unlimited = ulong.MaxValue;
}

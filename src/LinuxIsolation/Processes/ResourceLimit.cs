namespace LinuxIsolation.Processes;

/// <summary>A resource limit for the process (setrlimit(2); <c>prlimit --nofile=SOFT:HARD</c>).</summary>
/// <param name="Resource">What is limited.</param>
/// <param name="Soft">The soft limit; <see cref="Unlimited"/> for none. Every other value is that number of units (0 included).</param>
/// <param name="Hard">The hard limit, at least <paramref name="Soft"/>; <see cref="Unlimited"/> for none. Raising a hard limit needs CAP_SYS_RESOURCE.</param>
public readonly record struct ResourceLimit(ResourceLimitKind Resource, ulong Soft, ulong Hard)
{
    /// <summary>RLIM_INFINITY (18446744073709551615): "no limit" to the kernel. No other value means that, so a number near it is written as the number.</summary>
    public const ulong Unlimited = ulong.MaxValue;
}

using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// Fault-injection tests compare process-wide counters (descriptors, mounts, zombie children) before and after,
/// so they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Fault injection";
}

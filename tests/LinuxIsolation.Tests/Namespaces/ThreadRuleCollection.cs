using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>Tests that check every thread of the process run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThreadRuleCollection
{
    public const string Name = "Namespace thread rule";
}

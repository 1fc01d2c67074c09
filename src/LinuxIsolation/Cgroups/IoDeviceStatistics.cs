using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>One device's line of io.stat.</summary>
/// <param name="Major">The device's major number.</param>
/// <param name="Minor">The device's minor number.</param>
/// <param name="ReadBytes">rbytes.</param>
/// <param name="WriteBytes">wbytes.</param>
/// <param name="ReadOperations">rios.</param>
/// <param name="WriteOperations">wios.</param>
/// <param name="DiscardBytes">dbytes.</param>
/// <param name="DiscardOperations">dios.</param>
/// <param name="All">Every key of the line (including io.cost's cost.* keys) by name.</param>
public sealed record IoDeviceStatistics(
    int Major,
    int Minor,
    long ReadBytes,
    long WriteBytes,
    long ReadOperations,
    long WriteOperations,
    long DiscardBytes,
    long DiscardOperations,
    IReadOnlyDictionary<string, long> All);

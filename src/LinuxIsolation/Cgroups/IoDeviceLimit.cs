using System;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// One line of io.max: bandwidth and IOPS limits for block device MAJOR:MINOR; a null field is left as it is,
/// <see cref="CgroupResources.Unlimited"/> writes "max". Linux 4.5.
/// </summary>
/// <param name="Major">The device's major number.</param>
/// <param name="Minor">The device's minor number.</param>
public sealed record IoDeviceLimit(int Major, int Minor)
{
    /// <summary>rbps: read bytes per second.</summary>
    public long? ReadBytesPerSecond { get; init; }

    /// <summary>wbps: written bytes per second.</summary>
    public long? WriteBytesPerSecond { get; init; }

    /// <summary>riops: read operations per second.</summary>
    public long? ReadIops { get; init; }

    /// <summary>wiops: write operations per second.</summary>
    public long? WriteIops { get; init; }

    internal void Validate()
    {
        IoDeviceWeight.CheckDevice(Major, Minor);
        CgroupResources.CheckLimit(ReadBytesPerSecond, nameof(ReadBytesPerSecond));
        CgroupResources.CheckLimit(WriteBytesPerSecond, nameof(WriteBytesPerSecond));
        CgroupResources.CheckLimit(ReadIops, nameof(ReadIops));
        CgroupResources.CheckLimit(WriteIops, nameof(WriteIops));
        if (ReadBytesPerSecond is null && WriteBytesPerSecond is null && ReadIops is null && WriteIops is null)
        {
            throw new ArgumentException($"io.max for {Major}:{Minor} sets nothing: give at least one limit");
        }
    }
}

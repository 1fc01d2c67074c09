using System;

namespace LinuxIsolation.Cgroups;

/// <summary>One line of io.weight: the weight of block device MAJOR:MINOR, 1 to 10000. Linux 5.0 (BFQ or io.cost).</summary>
/// <param name="Major">The device's major number.</param>
/// <param name="Minor">The device's minor number.</param>
/// <param name="Weight">The weight, 1 to 10000.</param>
public sealed record IoDeviceWeight(int Major, int Minor, int Weight)
{
    internal void Validate()
    {
        CheckDevice(Major, Minor);
        if (Weight is < 1 or > 10000)
        {
            throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "io.weight must be 1 to 10000");
        }
    }

    internal static void CheckDevice(int major, int minor)
    {
        if (major < 0 || minor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(major), $"{major}:{minor}", "device numbers must be 0 or more");
        }
    }
}

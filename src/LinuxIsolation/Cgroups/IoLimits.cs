using System;
using System.Collections.Generic;

namespace LinuxIsolation.Cgroups;

/// <summary>IO controller limits (Linux 4.5); null leaves a file alone.</summary>
public sealed record IoLimits
{
    /// <summary>io.weight default: the weight for devices without their own, 1 to 10000 ("default N").</summary>
    public int? Weight { get; init; }

    /// <summary>io.weight per device ("MAJ:MIN N"), one write each.</summary>
    public IReadOnlyList<IoDeviceWeight>? DeviceWeights { get; init; }

    /// <summary>io.max per device ("MAJ:MIN rbps=.. wbps=.. riops=.. wiops=.."), one write each.</summary>
    public IReadOnlyList<IoDeviceLimit>? DeviceLimits { get; init; }

    internal void Validate()
    {
        if (Weight is < 1 or > 10000)
        {
            throw new ArgumentOutOfRangeException(nameof(Weight), Weight, "io.weight must be 1 to 10000");
        }

        foreach (IoDeviceWeight w in DeviceWeights ?? [])
        {
            ArgumentNullException.ThrowIfNull(w, nameof(DeviceWeights));
            w.Validate();
        }

        foreach (IoDeviceLimit l in DeviceLimits ?? [])
        {
            ArgumentNullException.ThrowIfNull(l, nameof(DeviceLimits));
            l.Validate();
        }
    }
}

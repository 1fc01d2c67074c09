using System;

namespace LinuxIsolation.Cgroups.Devices;

/// <summary>What a <see cref="DeviceRule"/> allows or denies (OCI <c>access</c>: a combination of "r", "w", "m").</summary>
[Flags]
public enum DeviceAccess
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Making the device node (mknod), "m".</summary>
    Mknod = 1,

    /// <summary>Opening it for reading, "r".</summary>
    Read = 2,

    /// <summary>Opening it for writing, "w".</summary>
    Write = 4,

    /// <summary>"rwm".</summary>
    All = Mknod | Read | Write,
}

using System.Collections.Generic;

namespace LinuxIsolation.Cgroups.Devices;

/// <summary>Device allow-lists.</summary>
public static class DeviceRules
{
    /// <summary>
    /// What a container needs and nothing else (runc's default devices): /dev/null (1:3), zero (1:5), full (1:7),
    /// random (1:8), urandom (1:9), tty (5:0), console (5:1), ptmx (5:2) and the pseudo-terminals (136:*), each
    /// read, write and mknod. Every other device, block devices included, can be neither made nor opened. (runc
    /// also lets any node be made, "c *:* m" and "b *:* m"; these rules do not.)
    /// </summary>
    public static IReadOnlyList<DeviceRule> ContainerDefaults { get; } =
    [
        DeviceRule.AllowCharacter(1, 3),
        DeviceRule.AllowCharacter(1, 5),
        DeviceRule.AllowCharacter(1, 7),
        DeviceRule.AllowCharacter(1, 8),
        DeviceRule.AllowCharacter(1, 9),
        DeviceRule.AllowCharacter(5, 0),
        DeviceRule.AllowCharacter(5, 1),
        DeviceRule.AllowCharacter(5, 2),
        DeviceRule.AllowCharacter(136, null),
    ];
}

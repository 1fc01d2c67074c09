using System;
using System.Collections.Generic;
using System.Text;

namespace LinuxIsolation.Processes;

/// <summary>Capability names as the kernel, runc's config.json and <c>capsh</c> spell them.</summary>
public static class Capabilities
{
    /// <summary>The capabilities Docker and runc keep by default for a container.</summary>
    public static IReadOnlyList<Capability> ContainerDefaults { get; } =
    [
        Capability.Chown, Capability.DacOverride, Capability.FSetId, Capability.FOwner, Capability.Mknod,
        Capability.NetRaw, Capability.SetGid, Capability.SetUid, Capability.SetFCap, Capability.SetPCap,
        Capability.NetBindService, Capability.SysChroot, Capability.Kill, Capability.AuditWrite,
    ];

    /// <summary>Parses <c>CAP_NET_ADMIN</c> (or <c>net_admin</c>); throws <see cref="ArgumentException"/> for an unknown name.</summary>
    /// <param name="name">The kernel's name, with or without the <c>CAP_</c> prefix, any case.</param>
    public static Capability Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string upper = name.Trim().ToUpperInvariant();
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
        {
            upper = "CAP_" + upper;
        }

        foreach (Capability c in Enum.GetValues<Capability>())
        {
            if (GetName(c) == upper)
            {
                return c;
            }
        }

        throw new ArgumentException($"Unknown capability name \"{name}\".", nameof(name));
    }

    /// <summary>The kernel's name of <paramref name="capability"/>, e.g. <c>CAP_NET_ADMIN</c>.</summary>
    public static string GetName(Capability capability)
    {
        string pascal = capability switch
        {
            Capability.FOwner => "Fowner",
            Capability.FSetId => "Fsetid",
            Capability.SetPCap => "Setpcap",
            Capability.SetFCap => "Setfcap",
            Capability.SetGid => "Setgid",
            Capability.SetUid => "Setuid",
            Capability.SysRawIO => "SysRawio",
            _ => Enum.IsDefined(capability) ? capability.ToString() : throw new ArgumentOutOfRangeException(nameof(capability)),
        };
        var sb = new StringBuilder("CAP_");
        for (int i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToUpperInvariant(pascal[i]));
        }

        return sb.ToString();
    }
}

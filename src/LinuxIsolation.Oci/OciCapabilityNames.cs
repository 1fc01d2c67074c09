using System;
using System.Collections.Generic;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>The kernel's capability names ("CAP_NET_ADMIN"), as config.json spells them, and their numbers.</summary>
internal static class OciCapabilityNames
{
    private static readonly Dictionary<string, Capability> ByName = Build();

    public static IEnumerable<string> All
    {
        get
        {
            foreach (Capability c in Enum.GetValues<Capability>())
            {
                yield return Capabilities.GetName(c);
            }
        }
    }

    /// <summary>Exact kernel spelling only ("CAP_CHOWN"), as runc requires.</summary>
    public static bool TryParse(string? name, out Capability capability)
    {
        capability = default;
        return name is not null && ByName.TryGetValue(name, out capability);
    }

    private static Dictionary<string, Capability> Build()
    {
        var map = new Dictionary<string, Capability>(StringComparer.Ordinal);
        foreach (Capability c in Enum.GetValues<Capability>())
        {
            map[Capabilities.GetName(c)] = c;
        }

        return map;
    }
}

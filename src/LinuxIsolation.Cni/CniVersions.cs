using System;
using System.Collections.Generic;

namespace LinuxIsolation.Cni;

/// <summary>The CNI spec versions this package reads and writes, and comparisons between them.</summary>
public static class CniVersions
{
    /// <summary>"1.1.0", the newest (STATUS, GC, <c>cniVersions</c> in a conflist, route mtu/advmss/priority/table/scope, interface mtu/socketPath/pciID).</summary>
    public const string V110 = "1.1.0";

    /// <summary>"1.0.0".</summary>
    public const string V100 = "1.0.0";

    /// <summary>"0.4.0" (the last 0.x: CHECK; results carry <c>version</c> per IP).</summary>
    public const string V040 = "0.4.0";

    /// <summary>The newest version, the one VERSION reports first.</summary>
    public const string Latest = V110;

    /// <summary>Every version supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0 (0.3.x results have the 0.4.0 shape).</summary>
    public static IReadOnlyList<string> All { get; } = ["0.3.0", "0.3.1", V040, V100, V110];

    /// <summary>True when <paramref name="version"/> is one of <see cref="All"/>.</summary>
    /// <param name="version">A version string, or null.</param>
    public static bool IsSupported(string? version) => version is not null && ((IList<string>)All).Contains(version);

    /// <summary>Compares two versions of the form MAJOR.MINOR.PATCH numerically.</summary>
    /// <param name="left">The first version.</param>
    /// <param name="right">The second version.</param>
    /// <returns>Negative, zero or positive as <paramref name="left"/> is older than, equal to or newer than <paramref name="right"/>.</returns>
    /// <exception cref="ArgumentException">A version does not parse.</exception>
    public static int Compare(string left, string right) => Parse(left, nameof(left)).CompareTo(Parse(right, nameof(right)));

    /// <summary>True for versions before 1.0.0, whose results have the 0.4.0 shape.</summary>
    /// <param name="version">A supported version.</param>
    public static bool IsLegacy(string version) => Compare(version, V100) < 0;

    private static Version Parse(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        string[] parts = value.Split('.');
        if (parts.Length != 3 || !System.Version.TryParse(value, out Version? v))
        {
            throw new ArgumentException($"\"{value}\" is not a CNI version of the form MAJOR.MINOR.PATCH.", paramName);
        }

        return v;
    }
}

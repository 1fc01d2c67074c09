using System;
using System.Globalization;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A traffic control handle or class id (<c>major:minor</c>, 16 bits each, as <c>tc</c> writes them in hex: <c>1:</c>,
/// <c>1:1</c>, <c>ffff:</c>), with the kernel's special parents <see cref="Root"/> (<c>TC_H_ROOT</c>) and
/// <see cref="Ingress"/> (<c>TC_H_INGRESS</c>).
/// </summary>
/// <param name="Value">The 32-bit value, major in the high 16 bits.</param>
public readonly record struct TrafficControlHandle(uint Value)
{
    /// <summary>No handle (<c>TC_H_UNSPEC</c>): the kernel picks one when adding, any when deleting.</summary>
    public static TrafficControlHandle Unspecified => default;

    /// <summary>The root of a link's egress tree (<c>TC_H_ROOT</c>, <c>tc ... root</c>).</summary>
    public static TrafficControlHandle Root => new(0xFFFFFFFF);

    /// <summary>The parent of the ingress qdisc (<c>TC_H_INGRESS</c>, <c>ffff:fff1</c>, <c>tc ... ingress</c>).</summary>
    public static TrafficControlHandle Ingress => new(0xFFFFFFF1);

    /// <summary>The handle the ingress qdisc has and its filters hang from (<c>ffff:</c>).</summary>
    public static TrafficControlHandle IngressQdisc => Create(0xFFFF, 0);

    /// <summary>The major number (the qdisc).</summary>
    public ushort Major => (ushort)(Value >> 16);

    /// <summary>The minor number (the class within the qdisc; 0 for the qdisc itself).</summary>
    public ushort Minor => (ushort)Value;

    /// <summary>Makes <c>major:minor</c>.</summary>
    public static TrafficControlHandle Create(ushort major, ushort minor) => new(((uint)major << 16) | minor);

    /// <summary>Parses tc's notation: <c>1:</c>, <c>1:1</c>, <c>ffff:fff1</c> (hex), <c>root</c>, <c>ingress</c>, <c>none</c>.</summary>
    /// <exception cref="FormatException">The text is not a handle.</exception>
    public static TrafficControlHandle Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text)
        {
            case "root": return Root;
            case "ingress": return Ingress;
            case "none": return Unspecified;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string major = colon < 0 ? text : text.Substring(0, colon);
        string minor = colon < 0 ? string.Empty : text.Substring(colon + 1);
        ushort mi = 0;
        if (!ushort.TryParse(major, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort ma)
            || (minor.Length > 0 && !ushort.TryParse(minor, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mi)))
        {
            throw new FormatException($"\"{text}\" is not a traffic control handle (major:minor in hex, e.g. 1: or 1:1).");
        }

        return Create(ma, mi);
    }

    /// <summary>The handle as tc prints it: <c>root</c>, <c>1:</c>, <c>1:1</c>, <c>ffff:fff1</c>.</summary>
    public override string ToString() =>
        Value == Root.Value ? "root"
        : Minor == 0 ? Major.ToString("x", CultureInfo.InvariantCulture) + ":"
        : Major.ToString("x", CultureInfo.InvariantCulture) + ":" + Minor.ToString("x", CultureInfo.InvariantCulture);
}

using System;
using System.Globalization;
using System.Text;

namespace LinuxIsolation.Cgroups.Devices;

/// <summary>
/// One rule of a device allow-list (OCI <c>linux.resources.devices[]</c>, the cgroup v1 <c>devices.allow</c> /
/// <c>devices.deny</c> line <c>c 1:3 rwm</c>). Rules are read in order and the last one that matches an access
/// decides; an access no rule matches is refused (see <see cref="DeviceRules"/>).
/// </summary>
/// <param name="Allow">True to allow, false to deny.</param>
/// <param name="Type">The device kind.</param>
/// <param name="Major">The major number, or null for any ("*").</param>
/// <param name="Minor">The minor number, or null for any ("*").</param>
/// <param name="Access">What is allowed or denied; not <see cref="DeviceAccess.None"/>.</param>
public sealed record DeviceRule(bool Allow, DeviceType Type, uint? Major, uint? Minor, DeviceAccess Access)
{
    /// <summary>Allows <paramref name="access"/> to the character device <paramref name="major"/>:<paramref name="minor"/>.</summary>
    public static DeviceRule AllowCharacter(uint major, uint? minor, DeviceAccess access = DeviceAccess.All) =>
        new(true, DeviceType.Character, major, minor, access);

    /// <summary>
    /// Builds a rule from the OCI fields: <paramref name="type"/> "a", "b", "c" or "u" (null: "a"), major and
    /// minor (null or -1: any), <paramref name="access"/> letters of "rwm" (null: "rwm"). Throws
    /// <see cref="ArgumentException"/> naming the field for a bad type, number or access string.
    /// </summary>
    public static DeviceRule FromOci(bool allow, string? type, long? major, long? minor, string? access)
    {
        DeviceType kind = type switch
        {
            null or "a" => DeviceType.All,
            "c" or "u" => DeviceType.Character,
            "b" => DeviceType.Block,
            _ => throw new ArgumentException($"A device type is \"a\", \"b\", \"c\" or \"u\", not \"{type}\".", nameof(type)),
        };
        return new DeviceRule(allow, kind, Number(major, nameof(major)), Number(minor, nameof(minor)), ParseAccess(access ?? "rwm"));
    }

    /// <summary>Parses a cgroup v1 style line, <c>TYPE MAJOR:MINOR ACCESS</c> with <c>*</c> for any number: "c 1:3 rwm", "b *:* m".</summary>
    public static DeviceRule Parse(bool allow, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] numbers = parts.Length == 3 ? parts[1].Split(':') : [];
        if (parts.Length != 3 || numbers.Length != 2)
        {
            throw new ArgumentException($"A device rule is \"TYPE MAJOR:MINOR ACCESS\" (\"c 1:3 rwm\"), not \"{line}\".", nameof(line));
        }

        return FromOci(allow, parts[0], ParseNumber(numbers[0], line), ParseNumber(numbers[1], line), parts[2]);

        static long? ParseNumber(string s, string line) =>
            s == "*" ? null
            : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint v) ? v
            : throw new ArgumentException($"A device number is a decimal number or \"*\": \"{s}\" in \"{line}\".", nameof(line));
    }

    /// <summary>Parses an access string of the letters r, w and m, each at most once.</summary>
    public static DeviceAccess ParseAccess(string access)
    {
        ArgumentNullException.ThrowIfNull(access);
        DeviceAccess result = DeviceAccess.None;
        foreach (char c in access)
        {
            DeviceAccess bit = c switch
            {
                'r' => DeviceAccess.Read,
                'w' => DeviceAccess.Write,
                'm' => DeviceAccess.Mknod,
                _ => throw new ArgumentException($"A device access string holds the letters r, w and m, not \"{access}\".", nameof(access)),
            };
            if ((result & bit) != 0)
            {
                throw new ArgumentException($"The device access string \"{access}\" names '{c}' twice.", nameof(access));
            }

            result |= bit;
        }

        if (result == DeviceAccess.None)
        {
            throw new ArgumentException("A device access string is not empty.", nameof(access));
        }

        return result;
    }

    /// <summary>The rule as a cgroup v1 line: "c 1:3 rwm".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append((char)Type).Append(' ');
        sb.Append(Major is { } a ? a.ToString(CultureInfo.InvariantCulture) : "*").Append(':');
        sb.Append(Minor is { } b ? b.ToString(CultureInfo.InvariantCulture) : "*").Append(' ');
        if ((Access & DeviceAccess.Read) != 0)
        {
            sb.Append('r');
        }

        if ((Access & DeviceAccess.Write) != 0)
        {
            sb.Append('w');
        }

        if ((Access & DeviceAccess.Mknod) != 0)
        {
            sb.Append('m');
        }

        return (Allow ? "allow " : "deny ") + sb.ToString();
    }

    internal void Validate(string parameterName)
    {
        if (Type is not (DeviceType.All or DeviceType.Character or DeviceType.Block))
        {
            throw new ArgumentException($"Unknown device type {(int)Type}.", parameterName);
        }

        if (Access == DeviceAccess.None || (Access & ~DeviceAccess.All) != 0)
        {
            throw new ArgumentException($"A device rule's access is a non-empty combination of read, write and mknod: {Access}.", parameterName);
        }

        if (Major > 0xfff || Minor > 0xfffff)
        {
            throw new ArgumentException($"A device number is at most 4095 (major) and 1048575 (minor): {this}.", parameterName);
        }

        if (Type == DeviceType.All && (Major is not null || Minor is not null))
        {
            throw new ArgumentException("A rule for all devices (\"a\") takes no major or minor number.", parameterName);
        }
    }

    private static uint? Number(long? value, string name) => value switch
    {
        null or -1 => null,
        < 0 or > uint.MaxValue => throw new ArgumentException($"A device {name} number is 0 to 4294967295 (or -1/null for any): {value}.", name),
        _ => (uint)value.Value,
    };
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace LinuxIsolation.Oci;

/// <summary>
/// A valid config.json asks for something lxi (or the LinuxIsolation library under it) cannot do yet, so the
/// container is not created: the spec says a runtime MUST generate an error rather than ignore a setting it
/// cannot apply. <see cref="Fields"/> names each JSON path and what is missing, e.g.
/// <c>process.apparmorProfile: AppArmor is not supported by lxi</c>.
/// </summary>
public sealed class OciUnsupportedException : Exception
{
    /// <summary>Creates the exception for <paramref name="fields"/> (at least one).</summary>
    /// <param name="fields">The unsupported settings.</param>
    public OciUnsupportedException(IReadOnlyList<OciValidationError> fields)
        : base(Format(fields))
    {
        Fields = fields;
    }

    /// <summary>The settings that cannot be applied, each with its JSON path and the reason.</summary>
    public IReadOnlyList<OciValidationError> Fields { get; }

    /// <summary>The JSON path of the first one.</summary>
    public string Path => Fields[0].Path;

    private static string Format(IReadOnlyList<OciValidationError> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            throw new ArgumentException("An OciUnsupportedException needs at least one field.", nameof(fields));
        }

        string head = $"unsupported: {fields[0]}";
        return fields.Count == 1 ? head : $"{head} (and {fields.Count - 1} more: {string.Join("; ", fields.Skip(1))})";
    }
}

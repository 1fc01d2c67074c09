using System;
using System.Collections.Generic;
using System.Linq;

namespace LinuxIsolation.Oci;

/// <summary>
/// A config.json (or process.json) is malformed or breaks the runtime-spec: <see cref="Errors"/> names each
/// broken rule with its JSON path. The message is the first error, followed by how many more there are.
/// </summary>
public sealed class OciConfigException : Exception
{
    /// <summary>Creates the exception for <paramref name="errors"/> (at least one).</summary>
    /// <param name="errors">The broken rules.</param>
    /// <param name="source">The file, or null.</param>
    /// <param name="inner">The parser's exception, or null.</param>
    public OciConfigException(IReadOnlyList<OciValidationError> errors, string? source = null, Exception? inner = null)
        : base(Format(errors, source), inner)
    {
        Errors = errors;
        Source = source;
    }

    /// <summary>The broken rules, in document order.</summary>
    public IReadOnlyList<OciValidationError> Errors { get; }

    /// <summary>The file that was read, or null.</summary>
    public new string? Source { get; }

    /// <summary>The JSON path of the first error.</summary>
    public string Path => Errors[0].Path;

    private static string Format(IReadOnlyList<OciValidationError> errors, string? source)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("An OciConfigException needs at least one error.", nameof(errors));
        }

        string head = source is null ? errors[0].ToString() : $"{source}: {errors[0]}";
        return errors.Count == 1 ? head : $"{head} (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1))})";
    }
}

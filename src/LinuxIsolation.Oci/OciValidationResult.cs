using System.Collections.Generic;

namespace LinuxIsolation.Oci;

/// <summary>What <see cref="OciValidator.Validate"/> found: broken rules (the container must not be created) and warnings (logged; the spec says to carry on).</summary>
public sealed class OciValidationResult
{
    internal OciValidationResult(IReadOnlyList<OciValidationError> errors, IReadOnlyList<OciValidationError> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The broken rules, in document order; empty when the config is valid.</summary>
    public IReadOnlyList<OciValidationError> Errors { get; }

    /// <summary>What the spec says to log and otherwise ignore (unknown capability names, relative mount destinations, deprecated fields).</summary>
    public IReadOnlyList<OciValidationError> Warnings { get; }

    /// <summary>True when there is no error.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Throws an <see cref="OciConfigException"/> with every error when there is one.</summary>
    /// <param name="source">The file name for the message, or null.</param>
    public void ThrowIfInvalid(string? source = null)
    {
        if (Errors.Count > 0)
        {
            throw new OciConfigException(Errors, source);
        }
    }
}

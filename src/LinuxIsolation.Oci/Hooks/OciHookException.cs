using System;

namespace LinuxIsolation.Oci.Hooks;

/// <summary>A hook failed: it exited non-zero, was killed by a signal, timed out, or could not be started. The message names its JSON path, program and status.</summary>
public sealed class OciHookException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The hook's result.</param>
    /// <param name="inner">Why it could not be started, or null.</param>
    public OciHookException(OciHookResult result, Exception? inner = null)
        : base(result?.Describe() ?? throw new ArgumentNullException(nameof(result)), inner)
    {
        Result = result;
    }

    /// <summary>What happened.</summary>
    public OciHookResult Result { get; }
}

using System;

namespace LinuxIsolation.Oci;

/// <summary>Applying a valid setting to the container failed on this host; <see cref="Path"/> is its JSON path and the inner exception the system's reason.</summary>
public sealed class OciApplyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The JSON path of the setting.</param>
    /// <param name="inner">The failure.</param>
    public OciApplyException(string path, Exception inner)
        : base($"{path}: {inner?.Message}", inner)
    {
        Path = path;
    }

    /// <summary>The JSON path of the setting that failed.</summary>
    public string Path { get; }
}

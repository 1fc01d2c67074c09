using System;

namespace LinuxIsolation.Cni;

/// <summary>
/// A failure reported to the runtime as CNI error JSON: <see cref="Code"/> is one of <see cref="CniErrorCode"/>'s
/// codes (or the plugin's own, 100 and above), <see cref="Exception.Message"/> the spec's <c>msg</c> and
/// <see cref="Details"/> its <c>details</c>. <see cref="CniPluginHost"/> turns it into <see cref="CniError"/> on stdout.
/// </summary>
public sealed class CniException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The CNI error code.</param>
    /// <param name="message">The short message (<c>msg</c>); name the field or variable at fault.</param>
    /// <param name="details">Longer details (<c>details</c>), or null.</param>
    /// <param name="innerException">The cause, or null.</param>
    public CniException(int code, string message, string? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Details = details;
    }

    /// <summary>The CNI error code.</summary>
    public int Code { get; }

    /// <summary>The spec's <c>details</c>, or null.</summary>
    public string? Details { get; }

    /// <summary>The error JSON object for this exception, in CNI version <paramref name="cniVersion"/>.</summary>
    /// <param name="cniVersion">The version the request asked for (the error's <c>cniVersion</c>).</param>
    public CniError ToError(string cniVersion) => new() { CniVersion = cniVersion, Code = Code, Msg = Message, Details = Details };
}

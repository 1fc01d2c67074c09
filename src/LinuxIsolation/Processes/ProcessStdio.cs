using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Processes;

/// <summary>One standard stream of an <see cref="IsolatedProcess"/>: inherited, /dev/null, a pipe, a file or a handle.</summary>
public sealed class ProcessStdio
{
    private ProcessStdio(StdioKind kind, string? path, bool append, SafeHandle? handle)
    {
        Kind = kind;
        Path = path;
        Append = append;
        Handle = handle;
    }

    /// <summary>The caller's descriptor is inherited.</summary>
    public static ProcessStdio Inherit { get; } = new(StdioKind.Inherit, null, false, null);

    /// <summary>/dev/null.</summary>
    public static ProcessStdio Null { get; } = new(StdioKind.Null, null, false, null);

    /// <summary>A pipe; the caller's end is <see cref="IsolatedProcess.StandardInput"/>, <see cref="IsolatedProcess.StandardOutput"/> or <see cref="IsolatedProcess.StandardError"/>.</summary>
    public static ProcessStdio Pipe { get; } = new(StdioKind.Pipe, null, false, null);

    /// <summary>What the stream is.</summary>
    public StdioKind Kind { get; }

    /// <summary>The host file for <see cref="StdioKind.File"/>.</summary>
    public string? Path { get; }

    /// <summary>For an output file: append instead of truncating.</summary>
    public bool Append { get; }

    /// <summary>The descriptor for <see cref="StdioKind.Handle"/>; the caller keeps owning it.</summary>
    public SafeHandle? Handle { get; }

    /// <summary>A host file: read for standard input; created or truncated (or appended to) for output.</summary>
    public static ProcessStdio File(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ProcessStdio(StdioKind.File, path, append, null);
    }

    /// <summary>A descriptor the caller owns (a socket, a pipe end, a terminal); it must stay open until the process started.</summary>
    public static ProcessStdio FromHandle(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return new ProcessStdio(StdioKind.Handle, null, false, handle);
    }
}

namespace LinuxIsolation.Processes;

/// <summary>Where one of the process's standard streams goes.</summary>
public enum StdioKind
{
    /// <summary>The caller's own descriptor (0, 1 or 2) is inherited.</summary>
    Inherit = 0,

    /// <summary>/dev/null.</summary>
    Null = 1,

    /// <summary>A pipe whose other end is exposed as a <see cref="System.IO.Stream"/> on <see cref="IsolatedProcess"/>.</summary>
    Pipe = 2,

    /// <summary>A file on the host, opened before the process starts.</summary>
    File = 3,

    /// <summary>A descriptor the caller owns.</summary>
    Handle = 4,
}

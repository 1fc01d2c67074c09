namespace LinuxIsolation.Processes;

/// <summary>How an <see cref="IsolatedProcess"/> ended: an exit code or the signal that terminated it.</summary>
/// <param name="ExitCode">The exit code, or null when a signal ended it.</param>
/// <param name="Signal">The terminating signal number, or null when it exited.</param>
/// <param name="CoreDumped">Whether the signal dumped core.</param>
public readonly record struct ProcessExitStatus(int? ExitCode, int? Signal, bool CoreDumped)
{
    /// <summary>The shell's view: the exit code, or 128 + the signal number.</summary>
    public int ShellStatus => ExitCode ?? 128 + (Signal ?? 0);

    /// <inheritdoc />
    public override string ToString() => ExitCode is int code ? $"exit code {code}" : $"signal {Signal}{(CoreDumped ? " (core dumped)" : "")}";
}

using System;

namespace LinuxIsolation.Oci.Hooks;

/// <summary>How one hook ran.</summary>
/// <param name="JsonPath">Its JSON path, e.g. "hooks.poststart[1]".</param>
/// <param name="Path">Its program.</param>
/// <param name="ExitCode">Its exit code, or null when a signal ended it or it did not start.</param>
/// <param name="Signal">The signal that ended it, or null.</param>
/// <param name="TimedOut">True when it ran past its timeout and was killed (SIGKILL).</param>
/// <param name="StandardError">What it wrote to standard error (the first 4 KiB), for the message.</param>
public sealed record OciHookResult(string JsonPath, string Path, int? ExitCode, int? Signal, bool TimedOut, string StandardError)
{
    /// <summary>Exited with 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The failure as lxi reports it: <c>hooks.prestart[0] (/usr/bin/x): exit status 3: STDERR</c>.</summary>
    public string Describe()
    {
        string status = TimedOut ? "timed out and was killed"
            : Signal is int s ? $"killed by signal {s}"
            : ExitCode is int c ? $"exit status {c}"
            : "could not be started";
        string err = StandardError.Trim();
        string text = $"{JsonPath} ({Path}): {status}";
        return err.Length == 0 ? text : $"{text}: {err}";
    }

    internal static OciHookResult NotStarted(string jsonPath, string path, Exception e) =>
        new(jsonPath, path, null, null, false, e.Message);
}

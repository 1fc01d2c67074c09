using System;
using System.Globalization;
using System.IO;

namespace LinuxIsolation.Oci.State;

/// <summary>The fields of /proc/PID/stat that tell whether a recorded process is still the same, living process (proc(5)).</summary>
/// <param name="State">Field 3: R, S, D, Z (zombie), X (dead), T, t, I, ...</param>
/// <param name="StartTime">Field 22: when it started, in clock ticks after boot; a recycled pid has another.</param>
public readonly record struct OciProcessStat(char State, ulong StartTime)
{
    /// <summary>True for a zombie (Z) or dead (X) process: it has exited.</summary>
    public bool HasExited => State is 'Z' or 'X' or 'x';

    /// <summary>Reads /proc/PID/stat; null when there is no such process.</summary>
    /// <param name="pid">The process id.</param>
    public static OciProcessStat? Read(int pid)
    {
        if (pid <= 0)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text);
    }

    /// <summary>Parses the text of /proc/PID/stat (the command name may hold spaces and parentheses: the fields start after the last ')'); null when malformed.</summary>
    /// <param name="text">The file's text.</param>
    public static OciProcessStat? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int close = text.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        string[] f = text.Substring(close + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After ')': f[0] is field 3 (state), so field 22 (starttime) is f[19].
        if (f.Length < 20 || f[0].Length != 1 || !ulong.TryParse(f[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return new OciProcessStat(f[0][0], start);
    }

    /// <summary>True when <paramref name="pid"/> runs, is not a zombie, and started at <paramref name="startTime"/>.</summary>
    /// <param name="pid">The recorded pid.</param>
    /// <param name="startTime">Its recorded start time.</param>
    public static bool IsAlive(int pid, ulong startTime) => Read(pid) is { } s && !s.HasExited && s.StartTime == startTime;
}

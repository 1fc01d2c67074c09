using System;
using System.Globalization;
using System.IO;

namespace LinuxIsolation.Ownership;

/// <summary>What <c>/proc/PID/stat</c> says about a process: its state letter and start time.</summary>
/// <param name="State">Field 3: R, S, D, Z (zombie), X (dead), T, t, I, ...</param>
/// <param name="StartTime">Field 22: start time in clock ticks after boot.</param>
internal sealed record ProcessSnapshot(char State, ulong StartTime)
{
    /// <summary>Reads <c>/proc/PID/stat</c>; null when the process does not exist (or exits while being read).</summary>
    internal static ProcessSnapshot? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            // ENOENT: no such process. ESRCH (an IOException): it exited between open and read.
            return null;
        }

        return Parse(text) ?? throw new InvalidDataException($"/proc/{pid}/stat is not in the expected format: '{text}'");
    }

    /// <summary>
    /// Parses the text of <c>/proc/PID/stat</c>. The command name (field 2) is in parentheses and may itself hold
    /// spaces and parentheses, so fields are counted after the last <c>)</c>. Null when the text is malformed.
    /// </summary>
    internal static ProcessSnapshot? Parse(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        // After ") " come fields 3, 4, ...: field N is at index N - 3.
        string[] fields = stat.Substring(close + 2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start))
        {
            return null;
        }

        return new ProcessSnapshot(fields[0][0], start);
    }

    /// <summary>The inode of the calling process's pid namespace (from the <c>pid:[INODE]</c> link <c>/proc/self/ns/pid</c>).</summary>
    internal static ulong CurrentPidNamespace()
    {
        string? target = new FileInfo("/proc/self/ns/pid").LinkTarget;
        return ParseNamespaceLink(target, "pid")
            ?? throw new InvalidOperationException($"/proc/self/ns/pid reads '{target}', not pid:[INODE]: is /proc mounted?");
    }

    /// <summary>Parses <c>KIND:[INODE]</c>, the target of a <c>/proc/PID/ns/KIND</c> link.</summary>
    internal static ulong? ParseNamespaceLink(string? target, string kind)
    {
        if (target is null || !target.StartsWith(kind + ":[", StringComparison.Ordinal) || !target.EndsWith(']'))
        {
            return null;
        }

        string digits = target.Substring(kind.Length + 2, target.Length - kind.Length - 3);
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode) ? inode : null;
    }

    /// <summary>
    /// The dead-or-alive rule. <paramref name="snapshot"/> is what <c>/proc/PID/stat</c> holds for the owner's pid
    /// (null: no such process); <paramref name="currentPidNamespace"/> the caller's pid namespace.
    /// </summary>
    internal static OwnerState Judge(ResourceOwner owner, ulong currentPidNamespace, ProcessSnapshot? snapshot, out string reason)
    {
        int pid = owner.ProcessId;
        if (owner.PidNamespace != currentPidNamespace)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"the owner ran in pid namespace {owner.PidNamespace} and this process is in {currentPidNamespace}: pid {pid} cannot be checked from here");
            return OwnerState.Unknown;
        }

        if (snapshot is null)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"process {pid} has exited (no /proc/{pid})");
            return OwnerState.Dead;
        }

        if (snapshot.StartTime != owner.StartTime)
        {
            reason = string.Create(CultureInfo.InvariantCulture,
                $"process {pid} has exited: the pid now belongs to a process started at tick {snapshot.StartTime}, the owner started at tick {owner.StartTime}");
            return OwnerState.Dead;
        }

        if (snapshot.State is 'Z' or 'X' or 'x')
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"process {pid} has exited (a zombie not yet reaped by its parent)");
            return OwnerState.Dead;
        }

        reason = string.Create(CultureInfo.InvariantCulture, $"process {pid} is running (started at tick {owner.StartTime})");
        return OwnerState.Alive;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace LinuxIsolation.TestShared;

/// <summary>
/// /proc/PID/stat read independently of the library, for the test programs: "pid (comm) state ppid ...", where comm
/// may hold spaces and parentheses, so the fields are split after the last ')'.
/// </summary>
internal static class ProcStat
{
    /// <summary>The fields after comm: index 0 is field 3 of proc(5) (state), index N is field N + 3. Null when the process is gone.</summary>
    public static string[]? Fields(string pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process went away (or is not ours to read)
        }

        int close = stat.LastIndexOf(')');
        return close < 0 || close + 2 > stat.Length ? null : stat[(close + 2)..].Split(' ');
    }

    /// <summary>Field <paramref name="field"/> (numbered as in proc(5), 3 or more) of the process.</summary>
    /// <exception cref="InvalidOperationException">The process is gone.</exception>
    public static string Field(int pid, int field) =>
        (Fields(pid.ToString(CultureInfo.InvariantCulture)) ?? throw new InvalidOperationException($"process {pid} is gone"))[field - 3];

    /// <summary>utime + stime in clock ticks (fields 14 and 15).</summary>
    public static long CpuTicks(int pid) =>
        long.Parse(Field(pid, 14), CultureInfo.InvariantCulture) + long.Parse(Field(pid, 15), CultureInfo.InvariantCulture);

    /// <summary>The processes whose parent is <paramref name="parent"/>, only those in state Z when <paramref name="zombiesOnly"/>.</summary>
    public static List<int> Children(int parent, bool zombiesOnly = false)
    {
        var children = new List<int>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            string name = Path.GetFileName(dir);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string[]? f = Fields(name);
            if (f is { Length: > 1 } && (!zombiesOnly || f[0] == "Z") &&
                int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) && ppid == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>
    /// "FD -> target" of this process's open descriptors, sorted, without those of managed assemblies (*.dll): the
    /// runtime opens an assembly's file when code first uses it, from any thread, and keeps it open, so a count that
    /// included them would move with whatever the runtime or the test runner happened to load meanwhile.
    /// </summary>
    public static string[] Descriptors()
    {
        var list = new List<string>();
        foreach (string fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }

            if (target is null)
            {
                continue; // closed by the time it is read: the listing's own descriptor (its number varies)
            }

            if (!target.EndsWith(".dll", StringComparison.Ordinal))
            {
                list.Add($"{Path.GetFileName(fd)} -> {target}");
            }
        }

        list.Sort(StringComparer.Ordinal);
        return list.ToArray();
    }
}

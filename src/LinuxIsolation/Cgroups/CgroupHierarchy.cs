using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// The cgroup v2 hierarchy as mounted in this process's mount namespace, found from <c>/proc/self/mountinfo</c>
/// (never assumed to be <c>/sys/fs/cgroup</c>: hybrid hosts mount it at <c>/sys/fs/cgroup/unified</c>), and the
/// cgroup v1 hierarchies that hold controllers away from it.
/// </summary>
public sealed class CgroupHierarchy
{
    private static readonly string[] V1ControllerNames =
    [
        "cpuset", "cpu", "cpuacct", "blkio", "memory", "devices", "freezer", "net_cls", "perf_event", "net_prio",
        "hugetlb", "pids", "rdma", "misc",
    ];

    private CgroupHierarchy(string mountPoint, string mountRoot, Dictionary<string, string> v1)
    {
        MountPoint = mountPoint;
        MountRoot = mountRoot;
        V1Controllers = v1;
    }

    /// <summary>Where the cgroup2 filesystem is mounted, e.g. "/sys/fs/cgroup".</summary>
    public string MountPoint { get; }

    /// <summary>
    /// The cgroup the mount shows as its root, relative to the cgroup namespace (mountinfo's root field,
    /// usually "/").
    /// </summary>
    public string MountRoot { get; }

    /// <summary>
    /// Controllers bound to a cgroup v1 hierarchy, by their cgroup v2 name ("io" for v1's "blkio"), mapped to
    /// that hierarchy's mount point. Empty on a pure cgroup v2 host.
    /// </summary>
    public IReadOnlyDictionary<string, string> V1Controllers { get; }

    /// <summary>
    /// Finds the cgroup2 mount of this mount namespace. Equivalent to <c>findmnt -t cgroup2</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No cgroup2 filesystem is mounted.</exception>
    public static CgroupHierarchy Find() => Parse(File.ReadAllText("/proc/self/mountinfo"));

    /// <summary>
    /// Parses <c>/proc/self/mountinfo</c> text; the first cgroup2 mount wins. Lines without the "-" separator after
    /// at least six fields, or with fewer than three fields after it, are skipped; malformed escapes are kept as
    /// written. Throws nothing else than the exception below.
    /// </summary>
    /// <exception cref="InvalidOperationException">The text has no cgroup2 mount.</exception>
    internal static CgroupHierarchy Parse(string mountinfo)
    {
        string? mountPoint = null;
        string? mountRoot = null;
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 6 || fields.Length < dash + 4)
            {
                continue;
            }

            string fsType = fields[dash + 1];
            if (fsType == "cgroup2" && mountPoint is null)
            {
                mountRoot = Unescape(fields[3]);
                mountPoint = Unescape(fields[4]);
            }
            else if (fsType == "cgroup")
            {
                foreach (string option in fields[dash + 3].Split(','))
                {
                    if (Array.IndexOf(V1ControllerNames, option) >= 0)
                    {
                        v1.TryAdd(option == "blkio" ? "io" : option, Unescape(fields[4]));
                    }
                }
            }
        }

        if (mountPoint is null || mountRoot is null)
        {
            throw new InvalidOperationException("no cgroup2 filesystem is mounted (no cgroup2 line in /proc/self/mountinfo)");
        }

        return new CgroupHierarchy(mountPoint, mountRoot, v1);
    }

    /// <summary>
    /// Returns the controllers available at the root of the hierarchy (its <c>cgroup.controllers</c>).
    /// Equivalent to <c>cat /sys/fs/cgroup/cgroup.controllers</c>.
    /// </summary>
    public IReadOnlyList<string> GetRootControllers()
    {
        using Cgroup root = Cgroup.OpenRoot(this);
        return root.GetAvailableControllers();
    }

    /// <summary>
    /// Says why <paramref name="controller"/> is missing from the hierarchy's root: bound to a cgroup v1
    /// hierarchy, disabled on the kernel command line, or not built into the kernel (from
    /// <c>/proc/cgroups</c>). Returns null when the root has it.
    /// </summary>
    /// <param name="controller">A cgroup v2 controller name, e.g. "memory".</param>
    public string? ExplainUnavailable(string controller) => ExplainUnavailable(controller, out _);

    internal string? ExplainUnavailable(string controller, out string? v1MountPoint)
    {
        v1MountPoint = null;
        if (GetRootControllers().Contains(controller))
        {
            return null;
        }

        string head = $"the {controller} controller is not available in the cgroup v2 hierarchy at {MountPoint}";
        if (V1Controllers.TryGetValue(controller, out string? v1Path))
        {
            v1MountPoint = v1Path;
            return $"{head}: it is bound to a cgroup v1 hierarchy ({v1Path})";
        }

        string v1Name = controller == "io" ? "blkio" : controller;
        string? procCgroups = null;
        try
        {
            procCgroups = File.ReadAllText("/proc/cgroups");
        }
        catch (IOException)
        {
        }

        foreach (string line in (procCgroups ?? string.Empty).Split('\n'))
        {
            string[] f = line.Split('\t');
            if (f.Length >= 4 && f[0] == v1Name)
            {
                if (f[3] == "0")
                {
                    return $"{head}: it is disabled on the kernel command line (cgroup_disable=)";
                }

                if (f[1] != "0")
                {
                    return $"{head}: it is bound to cgroup v1 hierarchy {f[1]} (/proc/cgroups), mounted outside this mount namespace";
                }

                return $"{head}: the kernel has it but the hierarchy's root does not list it in cgroup.controllers";
            }
        }

        return controller is "cpu" or "io" or "memory" or "pids" or "cpuset" or "hugetlb" or "rdma" or "misc"
            ? $"{head}: the kernel was built without it (not in /proc/cgroups)"
            : $"{head}: the kernel does not know a controller of that name";
    }

    /// <summary>Maps a path relative to the cgroup namespace root ("/a/b", from /proc/PID/cgroup) to its directory.</summary>
    internal string RelativeToMount(string cgroupPath)
    {
        string root = MountRoot.TrimEnd('/');
        if (root.Length > 0)
        {
            if (cgroupPath == root)
            {
                return "/";
            }

            if (!cgroupPath.StartsWith(root + "/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"cgroup {cgroupPath} is outside the cgroup2 mount at {MountPoint} (whose root is {MountRoot})");
            }

            cgroupPath = cgroupPath.Substring(root.Length);
        }

        return cgroupPath.Length == 0 ? "/" : cgroupPath;
    }

    /// <summary>
    /// Undoes the kernel's octal escapes (<c>\040</c> space, <c>\011</c> tab, <c>\012</c> newline, <c>\134</c>
    /// backslash). A backslash not followed by three octal digits of a byte value (0 to 377) is kept as it is.
    /// </summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var sb = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctalByte(field.AsSpan(i + 1, 3), out int value))
            {
                sb.Append((char)value);
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsOctalByte(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        return value <= 0xFF;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LinuxIsolation.Cgroups;

namespace LinuxIsolation.Oci;

/// <summary>
/// Creates and removes a container's cgroup with the library's <see cref="Cgroup"/>: missing parents are made
/// and the needed controllers enabled in each parent's cgroup.subtree_control (runtime-spec: "The OCI runtime
/// MUST ensure that the needed cgroup controllers are enabled"), the limits applied, and exactly what was made
/// is recorded so that <c>delete</c> removes that and nothing else.
/// </summary>
public static class OciCgroups
{
    /// <summary>
    /// Makes (or takes, when it exists and has no process) the cgroup of <paramref name="plan"/> and applies its
    /// limits; on failure removes what it made. Equivalent to <c>mkdir -p</c>, <c>echo +memory &gt; cgroup.subtree_control</c>
    /// per parent, and writes to the limit files.
    /// </summary>
    /// <param name="plan">The cgroup plan.</param>
    /// <param name="hierarchy">The cgroup v2 hierarchy.</param>
    /// <param name="created">The directories made, parents first (delete removes them, deepest first).</param>
    /// <exception cref="OciUnsupportedException">A limit needs a controller the hierarchy does not offer (each named with its JSON path and why, e.g. bound to cgroup v1).</exception>
    /// <exception cref="OciApplyException">The cgroup exists and has processes, or making it or a limit failed.</exception>
    public static Cgroup Create(OciCgroupPlan plan, CgroupHierarchy hierarchy, out IReadOnlyList<string> created)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hierarchy);
        IReadOnlyList<OciValidationError> missing = plan.FindUnavailableControllers(hierarchy);
        if (missing.Count > 0)
        {
            throw new OciUnsupportedException(missing);
        }

        string[] parts = plan.RelativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new OciApplyException("linux.cgroupsPath", new ArgumentException("the root cgroup cannot hold a container"));
        }

        var made = new List<string>();
        Cgroup current = Cgroup.OpenRoot(hierarchy);
        try
        {
            for (int i = 0; i < parts.Length; i++)
            {
                bool leaf = i == parts.Length - 1;
                if (plan.ControllerNames.Count > 0)
                {
                    IReadOnlyList<string> enabled = current.GetEnabledControllers();
                    string[] needed = plan.ControllerNames.Where(c => !enabled.Contains(c)).ToArray();
                    if (needed.Length > 0)
                    {
                        current.EnableControllers(needed);
                    }
                }

                Cgroup next;
                if (current.ChildExists(parts[i]))
                {
                    next = current.OpenChild(parts[i]);
                    if (leaf)
                    {
                        if (next.ReadEventsState().Populated)
                        {
                            next.Dispose();
                            throw new OciApplyException("linux.cgroupsPath", new InvalidOperationException($"the cgroup {next.Path} exists and has processes (a container's cgroup must be new or empty)"));
                        }

                        if (plan.Resources is not null)
                        {
                            next.Apply(plan.Resources);
                        }
                    }
                }
                else
                {
                    next = current.CreateChild(parts[i], leaf ? plan.Resources : null);
                    made.Add(next.Path);
                }

                current.Dispose();
                current = next;
            }

            created = made;
            return current;
        }
        catch (Exception e) when (e is LinuxSyscallException or ArgumentException or InvalidOperationException or IOException or TimeoutException or UndoFailedException)
        {
            current.Dispose();
            Remove(made);
            throw new OciApplyException("linux.resources", e);
        }
        catch
        {
            current.Dispose();
            Remove(made);
            throw;
        }
    }

    /// <summary>
    /// Removes cgroups that <see cref="Create"/> made, deepest first: the container's own one with every process
    /// in it killed (<see cref="Cgroup.DeleteChild"/>), a parent only when nothing else lives in it any more.
    /// Missing ones are skipped. Equivalent to <c>echo 1 &gt; cgroup.kill; rmdir</c>.
    /// </summary>
    /// <param name="created">The directories, parents first, as recorded.</param>
    /// <param name="timeout">How long to wait for the processes to go (default 10 s).</param>
    public static void Remove(IEnumerable<string> created, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(created);
        string[] dirs = created.ToArray();
        for (int i = dirs.Length - 1; i >= 0; i--)
        {
            string dir = dirs[i].TrimEnd('/');
            if (!Directory.Exists(dir))
            {
                continue;
            }

            bool leaf = i == dirs.Length - 1;
            using Cgroup parent = Cgroup.Open(Path.GetDirectoryName(dir)!);
            string name = Path.GetFileName(dir);
            if (!leaf)
            {
                using Cgroup self = parent.OpenChild(name);
                if (self.ListChildren().Count > 0 || self.GetProcesses().Count > 0)
                {
                    continue;
                }
            }

            parent.DeleteChild(name, timeout);
        }
    }
    /// <summary>
    /// On a hybrid host, places <paramref name="pid"/> in the container's cgroup of every cgroup v1 hierarchy
    /// that <see cref="OciCgroupPlan.V1Writes"/> names, as runc does there: the cgroup (and missing parents) made
    /// with the plan's <see cref="OciCgroupPlan.RelativePath"/>, a new cpuset cgroup first given its parent's
    /// <c>cpuset.cpus</c> and <c>cpuset.mems</c> (cgroup v1 takes no process into an empty cpuset), the files
    /// written in order, then the process moved in (<c>cgroup.procs</c>). On failure removes what it made.
    /// Equivalent to <c>mkdir -p /sys/fs/cgroup/pids/PATH; echo 1000 &gt; .../pids.max; echo PID &gt; .../cgroup.procs</c>.
    /// </summary>
    /// <param name="plan">The cgroup plan.</param>
    /// <param name="pid">The container's process, waiting to be started.</param>
    /// <param name="created">The directories made, parents first, in every hierarchy (<see cref="RemoveV1"/> removes them).</param>
    /// <returns>The container's cgroup directory in each v1 hierarchy (where a process started later in the container goes too).</returns>
    /// <exception cref="OciApplyException">Making a cgroup, writing a file or moving the process failed (named with the setting's JSON path).</exception>
    public static IReadOnlyList<string> JoinV1(OciCgroupPlan plan, int pid, out IReadOnlyList<string> created)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var made = new List<string>();
        var leaves = new List<string>();
        string[] parts = plan.RelativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string jsonPath = "linux.cgroupsPath";
        try
        {
            foreach (IGrouping<string, OciCgroupV1Write> hierarchy in plan.V1Writes.GroupBy(w => w.MountPoint, StringComparer.Ordinal))
            {
                bool cpuset = hierarchy.Any(w => w.Controller == "cpuset");
                string dir = hierarchy.Key.TrimEnd('/');
                foreach (string part in parts)
                {
                    string parent = dir;
                    dir = parent + "/" + part;
                    if (Directory.Exists(dir))
                    {
                        continue;
                    }

                    jsonPath = "linux.cgroupsPath";
                    Directory.CreateDirectory(dir);
                    made.Add(dir);
                    if (cpuset)
                    {
                        foreach (string file in new[] { "cpuset.cpus", "cpuset.mems" })
                        {
                            if (File.ReadAllText(Path.Combine(dir, file)).Trim().Length == 0)
                            {
                                File.WriteAllText(Path.Combine(dir, file), File.ReadAllText(Path.Combine(parent, file)).Trim());
                            }
                        }
                    }
                }

                foreach (OciCgroupV1Write w in hierarchy)
                {
                    jsonPath = w.JsonPath;
                    File.WriteAllText(Path.Combine(dir, w.File), w.Value);
                }

                jsonPath = "linux.cgroupsPath";
                File.WriteAllText(Path.Combine(dir, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                leaves.Add(dir);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process may be in a cgroup made here already (an earlier hierarchy): move it back to that
            // hierarchy's root first, or the directory could not be removed while it lives.
            foreach (string leaf in leaves)
            {
                string root = plan.V1Writes.First(w => leaf.StartsWith(w.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal)).MountPoint;
                try
                {
                    File.WriteAllText(Path.Combine(root, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                catch (Exception back) when (back is IOException or UnauthorizedAccessException)
                {
                }
            }

            RemoveV1(made, TimeSpan.Zero);
            throw new OciApplyException(jsonPath, e);
        }

        created = made;
        return leaves;
    }

    /// <summary>
    /// Removes cgroup v1 directories that <see cref="JoinV1"/> made, deepest first, each once no process is left
    /// in it (waiting up to <paramref name="timeout"/>, default 10 s, for the container's processes, killed
    /// through its cgroup v2 cgroup, to go); a directory that still has processes or children is left. Missing
    /// ones are skipped. Equivalent to <c>rmdir</c>.
    /// </summary>
    /// <param name="created">The directories, parents first, as recorded.</param>
    /// <param name="timeout">How long to wait for the processes to go.</param>
    public static void RemoveV1(IEnumerable<string> created, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(created);
        string[] dirs = created.ToArray();
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        for (int i = dirs.Length - 1; i >= 0; i--)
        {
            string dir = dirs[i].TrimEnd('/');
            while (Directory.Exists(dir))
            {
                try
                {
                    Directory.Delete(dir);
                    break;
                }
                catch (IOException) when (DateTime.UtcNow < deadline && File.ReadAllText(Path.Combine(dir, "cgroup.procs")).Length > 0)
                {
                    System.Threading.Thread.Sleep(10);
                }
                catch (IOException)
                {
                    break;
                }
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// One cgroup v2 directory, held open: create and delete children, enable controllers, set limits, read
/// statistics, watch events, freeze, kill and place processes. Needs write access to the cgroup's files
/// (root, or a delegated subtree). The instance owns a directory descriptor (<see cref="Handle"/>), which is
/// also what <c>clone3</c>'s <c>CLONE_INTO_CGROUP</c> takes; dispose it when done.
/// </summary>
/// <remarks>
/// Every file is opened beneath that descriptor (<c>openat2</c> with <c>RESOLVE_BENEATH</c>,
/// <c>RESOLVE_NO_SYMLINKS</c> and <c>RESOLVE_NO_MAGICLINKS</c>, Linux 5.6; <c>O_NOFOLLOW</c> on older kernels)
/// and names are validated, so no name or link leads out of it. Methods are safe to call from several threads;
/// the cgroup itself is shared kernel state, so concurrent writers race as they would in a shell.
/// Minimum kernels: cgroup v2 4.5, PSI 4.20, <c>cgroup.freeze</c> 5.2, <c>CLONE_INTO_CGROUP</c> 5.7,
/// <c>cgroup.kill</c> 5.14, <c>memory.peak</c> 5.19, <c>pids.peak</c> 6.1.
/// </remarks>
public sealed partial class Cgroup : IDisposable
{
    private readonly SafeCgroupHandle _handle;

    private Cgroup(CgroupHierarchy hierarchy, string relativePath, SafeCgroupHandle handle)
    {
        Hierarchy = hierarchy;
        RelativePath = relativePath;
        _handle = handle;
    }

    /// <summary>The hierarchy this cgroup belongs to.</summary>
    public CgroupHierarchy Hierarchy { get; }

    /// <summary>The path below the hierarchy's mount, "/" for the root, e.g. "/ci/job-42".</summary>
    public string RelativePath { get; }

    /// <summary>The absolute directory path, e.g. "/sys/fs/cgroup/ci/job-42".</summary>
    public string Path => RelativePath == "/" ? Hierarchy.MountPoint : Hierarchy.MountPoint.TrimEnd('/') + RelativePath;

    /// <summary>The last path component, or "/" for the root.</summary>
    public string Name => RelativePath == "/" ? "/" : RelativePath.Substring(RelativePath.LastIndexOf('/') + 1);

    /// <summary>True for the root of the hierarchy (which has no limits, no <c>cgroup.freeze</c> and no <c>cgroup.kill</c>).</summary>
    public bool IsRoot => RelativePath == "/";

    /// <summary>
    /// The open directory: pass it to <c>clone3</c> with <c>CLONE_INTO_CGROUP</c> (Linux 5.7) so a child starts
    /// inside this cgroup before it runs. Owned by this instance.
    /// </summary>
    public SafeCgroupHandle Handle => _handle;

    /// <summary>Opens the root of the cgroup v2 hierarchy. Equivalent to <c>cd /sys/fs/cgroup</c>.</summary>
    /// <param name="hierarchy">The hierarchy, or null to find it from <c>/proc/self/mountinfo</c>.</param>
    public static Cgroup OpenRoot(CgroupHierarchy? hierarchy = null)
    {
        hierarchy ??= CgroupHierarchy.Find();
        int fd = Interop.open(hierarchy.MountPoint, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new CgroupException(Marshal.GetLastPInvokeError(), "open", hierarchy.MountPoint);
        }

        return new Cgroup(hierarchy, "/", new SafeCgroupHandle(fd));
    }

    /// <summary>
    /// Opens the cgroup this process belongs to (the "0::" line of <c>/proc/self/cgroup</c>).
    /// Equivalent to <c>cat /proc/self/cgroup</c>.
    /// </summary>
    /// <param name="hierarchy">The hierarchy, or null to find it from <c>/proc/self/mountinfo</c>.</param>
    public static Cgroup OpenCurrent(CgroupHierarchy? hierarchy = null)
    {
        hierarchy ??= CgroupHierarchy.Find();
        string? path = null;
        foreach (string line in File.ReadAllLines("/proc/self/cgroup"))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                path = line.Substring(3);
            }
        }

        if (path is null)
        {
            throw new InvalidOperationException("/proc/self/cgroup has no cgroup v2 (\"0::\") line");
        }

        if (path.EndsWith(" (deleted)", StringComparison.Ordinal) || path.Contains("/..", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"this process's cgroup {path} is deleted or outside its cgroup namespace");
        }

        return Open(hierarchy.RelativeToMount(path), hierarchy);
    }

    /// <summary>
    /// Opens an existing cgroup by path: absolute below the mount point ("/sys/fs/cgroup/a/b"), or relative to
    /// the hierarchy's root ("a/b" or "/a/b"). Each component is validated and opened beneath the previous one.
    /// </summary>
    /// <param name="path">The cgroup's path.</param>
    /// <param name="hierarchy">The hierarchy, or null to find it from <c>/proc/self/mountinfo</c>.</param>
    public static Cgroup Open(string path, CgroupHierarchy? hierarchy = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        hierarchy ??= CgroupHierarchy.Find();
        string mount = hierarchy.MountPoint.TrimEnd('/');
        string relative = path;
        if (path == mount || path.StartsWith(mount + "/", StringComparison.Ordinal))
        {
            relative = path.Substring(mount.Length);
        }

        string[] parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (string part in parts)
        {
            CgroupName.Validate(part, nameof(path));
        }

        Cgroup current = OpenRoot(hierarchy);
        foreach (string part in parts)
        {
            using Cgroup parent = current;
            current = parent.OpenChild(part);
        }

        return current;
    }

    /// <summary>Opens the existing child <paramref name="name"/>.</summary>
    /// <param name="name">A single validated name (see <see cref="CgroupName.Validate"/>).</param>
    public Cgroup OpenChild(string name)
    {
        CgroupName.Validate(name);
        int fd = CgroupFiles.OpenBeneath(_handle, name, Interop.O_RDONLY | Interop.O_DIRECTORY);
        if (fd < 0)
        {
            throw new CgroupException(-fd, "open", ChildPath(name),
                detail: -fd is 40 or 18 ? "refused: it is a link leading outside the cgroup" : null);
        }

        return new Cgroup(Hierarchy, ChildRelativePath(name), new SafeCgroupHandle(fd));
    }

    /// <summary>Returns true when a child named <paramref name="name"/> exists.</summary>
    /// <param name="name">A single validated name.</param>
    public bool ChildExists(string name)
    {
        CgroupName.Validate(name);
        int fd = CgroupFiles.OpenBeneath(_handle, name, Interop.O_RDONLY | Interop.O_DIRECTORY);
        if (fd >= 0)
        {
            Interop.Cgroups.close(fd);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Creates the child <paramref name="name"/> and opens it; when <paramref name="resources"/> is given, applies
    /// them and removes the child again if that fails. Equivalent to <c>mkdir /sys/fs/cgroup/PARENT/NAME</c>
    /// (plus writes to its files).
    /// </summary>
    /// <param name="name">A single validated name (see <see cref="CgroupName.Validate"/>).</param>
    /// <param name="resources">Limits to set, or null.</param>
    /// <exception cref="CgroupException">The directory exists (<c>EEXIST</c>) or cannot be made.</exception>
    /// <exception cref="CgroupControllerUnavailableException">A limit needs a controller the child does not have; the child was removed.</exception>
    /// <exception cref="UndoFailedException">A limit write failed and removing the child failed too; <see cref="UndoFailedException.LeftBehind"/> names it.</exception>
    /// <remarks>
    /// When a limit write fails the child is removed again (<c>rmdir</c>) and the <see cref="CgroupException"/>
    /// names the step and says "undone". Logged under <c>LinuxIsolation.Cgroups</c> (see <see cref="LinuxIsolationLogging"/>).
    /// </remarks>
    public Cgroup CreateChild(string name, CgroupResources? resources = null) => CreateChild(name, resources, null);

    /// <summary>The steps of <see cref="CreateChild(string, CgroupResources?)"/>: mkdir, open, check controllers, one write per limit.</summary>
    /// <param name="name">The child's name.</param>
    /// <param name="resources">Limits to set, or null.</param>
    /// <param name="fault">Test seam: a step made to fail after doing its work, or an undo made to fail.</param>
    /// <param name="owner">An owner to tag the child with right after it is made (before any limit), or null.</param>
    internal unsafe Cgroup CreateChild(string name, CgroupResources? resources, StepFault? fault, Ownership.ResourceOwner? owner = null)
    {
        CgroupName.Validate(name);
        resources?.Validate();
        string childPath = ChildPath(name);
        var op = new MultiStepOperation(LinuxIsolationLogging.Cgroups, "create cgroup", childPath, fault);
        op.Step("mkdir", () =>
        {
            byte[] path = Encoding.UTF8.GetBytes(name + "\0");
            int rc;
            fixed (byte* p = path)
            {
                rc = Interop.Cgroups.mkdirat(_handle.DangerousFileDescriptor, p, 0x1ED /* 0755 */);
            }

            if (rc != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new CgroupException(errno, "mkdir", childPath,
                    detail: errno == Errno.EEXIST ? "a cgroup of that name exists" : errno == Errno.EAGAIN ? "cgroup.max.depth or cgroup.max.descendants reached" : null);
            }
        });
        op.OnUndo($"cgroup directory {childPath}", $"rmdir {childPath}", () =>
        {
            int errno = RemoveDirectory(name);
            if (errno != 0)
            {
                throw new CgroupException(errno, "rmdir", childPath);
            }
        });

        Cgroup child = op.Step("open", () => OpenChild(name));
        op.OnUndo("the cgroup's directory descriptor", "(closed with the process)", child.Dispose);
        if (owner is not null)
        {
            op.Step("tag with the owner", () => child.SetOwner(owner));
        }

        if (resources is not null)
        {
            IReadOnlyList<(string Controller, string File, string? Value)> writes = op.Step("check controllers", () => child.PlanWrites(resources));
            foreach ((string _, string file, string? value) in writes)
            {
                op.Step($"write {file}", () => child.WriteLimit(file, value, resources));
            }
        }

        op.Complete();
        return child;
    }

    /// <summary>Lists the names of the child cgroups. Equivalent to <c>ls -d /sys/fs/cgroup/PARENT/*/</c>.</summary>
    public IReadOnlyList<string> ListChildren() =>
        Directory.GetDirectories(Path).Select(p => System.IO.Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Deletes the child <paramref name="name"/> and everything below it: kills its processes
    /// (<c>cgroup.kill</c>, or freeze, SIGKILL each, thaw before Linux 5.14), waits for <c>populated 0</c> in
    /// <c>cgroup.events</c>, then removes the directories bottom-up, retrying <c>EBUSY</c>. A child that does not
    /// exist is not an error. Equivalent to <c>echo 1 &gt; NAME/cgroup.kill; rmdir NAME</c>.
    /// </summary>
    /// <param name="name">A single validated name.</param>
    /// <param name="timeout">How long to wait for the processes to go (default 10 s).</param>
    /// <exception cref="TimeoutException">Processes remained after <paramref name="timeout"/>.</exception>
    public void DeleteChild(string name, TimeSpan? timeout = null)
    {
        CgroupName.Validate(name);
        if (!ChildExists(name))
        {
            return;
        }

        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        using (Cgroup child = OpenChild(name))
        {
            child.EmptyTree(deadline);
        }

        RemoveDirectoryRetrying(name, deadline);
    }

    /// <summary>Closes the directory descriptor.</summary>
    public void Dispose() => _handle.Dispose();

    /// <inheritdoc />
    public override string ToString() => Path;

    internal string FilePath(string file) => Path.TrimEnd('/') + "/" + file;

    private string ChildPath(string name) => Path.TrimEnd('/') + "/" + name;

    private string ChildRelativePath(string name) => RelativePath == "/" ? "/" + name : RelativePath + "/" + name;

    /// <summary>Kills every process below, waits for the tree to be empty, and removes the children's directories.</summary>
    private void EmptyTree(DateTime deadline)
    {
        CgroupEventsState state = ReadEventsState();
        if (state.Populated)
        {
            Kill();
            if (!WaitForEventsState(s => !s.Populated, Remaining(deadline)))
            {
                throw new TimeoutException($"{FilePath("cgroup.events")} still says populated 1 after killing its processes");
            }
        }

        foreach (string child in ListChildren())
        {
            if (!CgroupName.IsValid(child))
            {
                continue;
            }

            using (Cgroup c = OpenChild(child))
            {
                c.EmptyTree(deadline);
            }

            RemoveDirectoryRetrying(child, deadline);
        }
    }

    private void RemoveDirectoryRetrying(string name, DateTime deadline)
    {
        int delayMs = 1;
        while (true)
        {
            int errno = RemoveDirectory(name);
            if (errno == 0 || errno == Errno.ENOENT)
            {
                return;
            }

            // EBUSY: exiting tasks not yet unlinked from the css set, or a child created meanwhile.
            if (errno != Errno.EBUSY || DateTime.UtcNow >= deadline)
            {
                throw new CgroupException(errno, "rmdir", ChildPath(name),
                    detail: errno == Errno.EBUSY ? "it still has processes or child cgroups" : null);
            }

            System.Threading.Thread.Sleep(delayMs);
            delayMs = Math.Min(delayMs * 2, 100);
        }
    }

    private unsafe int RemoveDirectory(string name)
    {
        byte[] path = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = path)
        {
            return Interop.Cgroups.unlinkat(_handle.DangerousFileDescriptor, p, Interop.Cgroups.AT_REMOVEDIR) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        TimeSpan left = deadline - DateTime.UtcNow;
        return left < TimeSpan.Zero ? TimeSpan.Zero : left;
    }
}

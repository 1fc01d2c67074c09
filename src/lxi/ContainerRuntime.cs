using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Oci;
using LinuxIsolation.Oci.Hooks;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Oci.State;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Lxi;

/// <summary>
/// The container lifecycle of runtime.md with runc's behaviour, on the state store: every command on a
/// container holds its lock; a command on a container in the wrong status fails and changes nothing; a
/// failing create removes everything it made. Process start and release go through the
/// <see cref="IContainerProcessLauncher"/> seam.
/// </summary>
internal sealed class ContainerRuntime
{
    private readonly LxiLog _log;
    private readonly IContainerProcessLauncher _launcher;

    public ContainerRuntime(OciStateStore store, LxiLog log, IContainerProcessLauncher launcher)
    {
        Store = store;
        _log = log;
        _launcher = launcher;
    }

    public OciStateStore Store { get; }

    /// <summary>create: everything of config.json but the user program (runtime.md "Create").</summary>
    public CreatedContainerProcess Create(string id, string bundleDirectory, string? pidFile, string? consoleSocket, bool noPivot, int preserveFds)
    {
        OciContainerId.Validate(id);
        if (Store.Exists(id))
        {
            throw new LxiException($"container with id exists: {id}");
        }

        OciBundle bundle = LoadBundle(bundleDirectory);
        OciContainerPlan plan = OciBundleMapper.Map(bundle, id, new OciMappingOptions { NoPivot = noPivot });
        foreach (OciValidationError w in plan.Warnings)
        {
            _log.Warn(w.ToString());
        }

        ThrowIfUnsupported(plan.Unsupported);
        ulong creatorStart = OciProcessStat.Read(Environment.ProcessId)?.StartTime ?? 0;
        var record = new OciContainerRecord
        {
            OciVersion = bundle.Spec.OciVersion,
            Id = id,
            Status = OciContainerStatus.Creating.ToSpecString(),
            Bundle = bundle.Directory,
            Rootfs = bundle.RootfsPath,
            Created = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            Annotations = bundle.Spec.Annotations,
            CreatorPid = Environment.ProcessId,
            CreatorStartTime = creatorStart,
            Config = bundle.Spec,
        };

        using OciContainerLock held = Store.Create(record);
        CreatedContainerProcess? process = null;
        try
        {
            if (plan.Cgroup is not null)
            {
                CgroupHierarchy hierarchy = CgroupHierarchy.Find();
                using Cgroup cgroup = OciCgroups.Create(plan.Cgroup, hierarchy, out IReadOnlyList<string> made);
                record.CgroupPath = cgroup.Path;
                record.CgroupsCreated = made.ToList();
                held.Save(record);
                plan.StartInfo.CgroupPath = cgroup.Path;
                foreach (OciMount m in plan.CgroupMounts)
                {
                    bool readOnly = m.Options?.Contains("rw") != true;
                    plan.StartInfo.Mounts.Add(IsolatedMount.Bind(cgroup.Path, m.Destination!, readOnly, recursive: false));
                }
            }
            else if (plan.CgroupMounts.Count > 0)
            {
                _log.Warn("the cgroup mounts are left out: the container has no cgroup v2 directory");
            }

            process = _launcher.Create(new ContainerCreateRequest(id, plan, held.Directory, consoleSocket, preserveFds));
            record.Pid = process.Pid;
            record.PidStartTime = process.StartTime;
            held.Save(record);
            if (plan.Cgroup is { V1Writes.Count: > 0 } v1)
            {
                // A hybrid host: the limits whose controller only cgroup v1 has go there, as runc puts them.
                record.CgroupsV1 = OciCgroups.JoinV1(v1, process.Pid, out IReadOnlyList<string> v1Made).ToList();
                record.CgroupsV1Created = v1Made.ToList();
                held.Save(record);
            }

            // The process waits at the start gate in its namespaces and root. runc runs these hooks at the same
            // point of its sequence (prestart and createRuntime in lxi's namespaces; createContainer is meant for
            // the container's mount namespace before pivot_root, which the spawn path does not stop at: lxi runs
            // it here, after pivot_root, in lxi's namespaces, with the container's pid in the state).
            ContainerDevices.Create(process.Pid, bundle.Spec.Linux?.Devices);
            OciCreatedProcess.Apply(process.Pid, plan);
            OciState state = StateFor(record, process.Pid, OciContainerStatus.Creating);
            OciHookRunner.RunAll(plan.Hooks, OciHookKind.Prestart, state);
            OciHookRunner.RunAll(plan.Hooks, OciHookKind.CreateRuntime, state);
            OciHookRunner.RunAll(plan.Hooks, OciHookKind.CreateContainer, state);
            record.Status = OciContainerStatus.Created.ToSpecString();
            record.CreatorPid = 0;
            record.CreatorStartTime = 0;
            if (pidFile is not null)
            {
                WritePidFile(pidFile, process.Pid);
            }

            held.Save(record);
            return process;
        }
        catch
        {
            Undo(held, record, process);
            throw;
        }
    }

    /// <summary>start: runs the user program of a created container, then the poststart hooks.</summary>
    public void Start(string id)
    {
        using OciContainerLock held = Lock(id);
        OciContainerRecord record = held.Record;
        OciContainerStatus status = OciContainerStatusProbe.GetStatus(record);
        switch (status)
        {
            case OciContainerStatus.Created:
                break;
            case OciContainerStatus.Stopped:
                throw new LxiException("cannot start a container that has stopped");
            case OciContainerStatus.Running:
                throw new LxiException("cannot start an already running container");
            default:
                throw new LxiException($"cannot start a container in the {status.ToSpecString()} state");
        }

        if (record.Config?.Process is null)
        {
            throw new LxiException("cannot start a container without process in config.json");
        }

        // startContainer hooks belong inside the container just before the program; lxi runs them just before
        // releasing the gate, in lxi's namespaces (see README, "OCI runtime").
        OciHookRunner.RunAll(record.Config.Hooks, OciHookKind.StartContainer, StateFor(record, record.Pid, OciContainerStatus.Created));
        if (!_launcher.Start(record, held.Directory))
        {
            throw new LxiException("cannot start a container that has stopped");
        }

        record.Status = OciContainerStatus.Running.ToSpecString();
        held.Save(record);
        foreach (OciHookResult failure in OciHookRunner.RunAll(record.Config.Hooks, OciHookKind.Poststart, StateFor(record, record.Pid, OciContainerStatus.Running)))
        {
            _log.Warn("poststart hook failed: " + failure.Describe());
        }
    }

    /// <summary>state: the spec's state, status derived from the process.</summary>
    public OciState State(string id)
    {
        OciContainerId.Validate(id);
        OciContainerRecord record = Store.Load(id);
        return record.ToState(OciContainerStatusProbe.GetStatus(record));
    }

    /// <summary>kill: a signal to the init process (or, with all, to every process of the cgroup).</summary>
    public void Kill(string id, int signal, bool all)
    {
        using OciContainerLock held = Lock(id);
        OciContainerRecord record = held.Record;
        OciContainerStatus status = OciContainerStatusProbe.GetStatus(record);
        if (status is OciContainerStatus.Stopped or OciContainerStatus.Creating)
        {
            if (all && status == OciContainerStatus.Stopped)
            {
                return;
            }

            throw new LxiException("container not running");
        }

        bool delivered = all ? OciSignals.SignalAll(record, signal) > 0 || !OciContainerStatusProbe.IsInitAlive(record) : OciSignals.SignalInit(record, signal);
        if (!delivered)
        {
            throw new LxiException("container not running");
        }
    }

    /// <summary>delete: removes a stopped container (or, with force, kills it first); poststop hooks run after.</summary>
    public void Delete(string id, bool force)
    {
        OciContainerId.Validate(id);
        OciContainerLock held;
        try
        {
            held = Store.Lock(id);
        }
        catch (OciStateException e) when (e.Kind == OciStateError.NotFound)
        {
            if (force)
            {
                return;
            }

            throw new LxiException("container does not exist", e);
        }
        catch (OciStateException e) when (e.Kind == OciStateError.Corrupt && force)
        {
            _log.Warn(e.Message + "; removing it (--force)");
            Directory.Delete(Store.DirectoryOf(id), recursive: true);
            return;
        }

        using (held)
        {
            OciContainerRecord record = held.Record;
            OciContainerStatus status = OciContainerStatusProbe.GetStatus(record);
            bool abandoned = OciContainerStatusProbe.IsAbandonedCreate(record);
            if (status == OciContainerStatus.Creating && !abandoned && !force)
            {
                throw new LxiException($"cannot delete container {id} that is being created");
            }

            if (status is not (OciContainerStatus.Stopped or OciContainerStatus.Creating) && !force)
            {
                throw new LxiException($"cannot delete container {id} that is not stopped: {status.ToSpecString()}");
            }

            if (status != OciContainerStatus.Stopped)
            {
                KillAndWait(record);
            }

            Destroy(held, record);
        }
    }

    /// <summary>pause or resume: freeze or thaw the container's cgroup (cgroup.freeze, Linux 5.2).</summary>
    public void Freeze(string id, bool freeze)
    {
        using OciContainerLock held = Lock(id);
        OciContainerRecord record = held.Record;
        OciContainerStatus status = OciContainerStatusProbe.GetStatus(record);
        if (freeze && status != OciContainerStatus.Running)
        {
            throw new LxiException(status == OciContainerStatus.Paused ? "container already paused" : "container not running");
        }

        if (!freeze && status != OciContainerStatus.Paused)
        {
            throw new LxiException("container not paused");
        }

        if (string.IsNullOrEmpty(record.CgroupPath))
        {
            throw new LxiException("the container has no cgroup to freeze");
        }

        using Cgroup cgroup = Cgroup.Open(record.CgroupPath);
        if (freeze)
        {
            cgroup.Freeze();
        }
        else
        {
            cgroup.Thaw();
        }
    }

    /// <summary>The processes of the container's cgroup (what ps lists).</summary>
    public IReadOnlyList<int> Processes(string id)
    {
        OciContainerId.Validate(id);
        OciContainerRecord record = Store.Load(id);
        if (string.IsNullOrEmpty(record.CgroupPath) || !Directory.Exists(record.CgroupPath))
        {
            return OciContainerStatusProbe.IsInitAlive(record) ? [record.Pid] : [];
        }

        using Cgroup cgroup = Cgroup.Open(record.CgroupPath);
        return OciSignals.ListProcesses(cgroup);
    }

    /// <summary>exec: a new process in a running container.</summary>
    public ExecutedProcess Exec(string id, OciProcess process, string? consoleSocket, string? pidFile, int preserveFds, bool ignorePaused, bool detach)
    {
        OciContainerId.Validate(id);
        OciContainerRecord record = Store.Load(id);
        OciContainerStatus status = OciContainerStatusProbe.GetStatus(record);
        if (status == OciContainerStatus.Paused && !ignorePaused)
        {
            throw new LxiException("cannot exec in a paused container (use --ignore-paused to override)");
        }

        if (status is not (OciContainerStatus.Running or OciContainerStatus.Created or OciContainerStatus.Paused))
        {
            throw new LxiException("cannot exec in a stopped container");
        }

        OciValidationResult validation = OciValidator.ValidateProcess(process);
        validation.ThrowIfInvalid("process");
        OciExecPlan plan = OciBundleMapper.MapExec(process, record.Config ?? new OciSpec(), record.Pid, record.CgroupPath);
        foreach (OciValidationError w in plan.Warnings)
        {
            _log.Warn(w.ToString());
        }

        ThrowIfUnsupported(plan.Unsupported);
        ExecutedProcess started = _launcher.Exec(new ContainerExecRequest(record, plan, consoleSocket, preserveFds, Store.DirectoryOf(id), detach));
        foreach (string v1 in record.CgroupsV1 ?? [])
        {
            // A hybrid host: the container's cgroup v1 limits cover this process too (it joins once started: the
            // spawn places a process in cgroup v2 only).
            try
            {
                File.WriteAllText(Path.Combine(v1, "cgroup.procs"), started.Pid.ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warn($"the exec'd process {started.Pid} did not join {v1}: {e.Message}");
            }
        }

        if (pidFile is not null)
        {
            WritePidFile(pidFile, started.Pid);
        }

        return started;
    }

    /// <summary>
    /// Fails on what the mapping could not apply, except the JSON paths the operator chose to run without
    /// (<c>LXI_IGNORE_UNSUPPORTED</c>, comma-separated path prefixes such as <c>linux.seccomp</c>): each of those is
    /// logged as a warning that names what is not applied. Nothing is ignored unless asked.
    /// </summary>
    private void ThrowIfUnsupported(IReadOnlyList<OciValidationError> unsupported)
    {
        string[] ignored = (Environment.GetEnvironmentVariable(IgnoreUnsupportedVariable) ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var left = new List<OciValidationError>();
        foreach (OciValidationError e in unsupported)
        {
            if (ignored.Any(p => e.Path == p || e.Path.StartsWith(p + ".", StringComparison.Ordinal) || e.Path.StartsWith(p + "[", StringComparison.Ordinal)))
            {
                _log.Warn($"not applied ({IgnoreUnsupportedVariable}): {e}");
            }
            else
            {
                left.Add(e);
            }
        }

        if (left.Count > 0)
        {
            throw new OciUnsupportedException(left);
        }
    }

    /// <summary>The environment variable naming the unsupported settings to run without.</summary>
    public const string IgnoreUnsupportedVariable = "LXI_IGNORE_UNSUPPORTED";

    internal static OciState StateFor(OciContainerRecord record, int pid, OciContainerStatus status)
    {
        OciState state = record.ToState(status);
        state.Pid = pid;
        return state;
    }

    private OciContainerLock Lock(string id)
    {
        OciContainerId.Validate(id);
        try
        {
            return Store.Lock(id);
        }
        catch (OciStateException e) when (e.Kind == OciStateError.NotFound)
        {
            throw new LxiException("container does not exist", e);
        }
    }

    private OciBundle LoadBundle(string directory)
    {
        OciBundle bundle;
        try
        {
            bundle = OciBundle.Load(directory);
        }
        catch (FileNotFoundException e)
        {
            throw new LxiException(e.Message, e);
        }

        OciValidationResult result = bundle.Validate();
        foreach (OciValidationError w in result.Warnings)
        {
            _log.Warn($"{bundle.ConfigPath}: {w}");
        }

        result.ThrowIfInvalid(bundle.ConfigPath);
        return bundle;
    }

    private static void KillAndWait(OciContainerRecord record)
    {
        if (!string.IsNullOrEmpty(record.CgroupPath) && Directory.Exists(record.CgroupPath))
        {
            using Cgroup cgroup = Cgroup.Open(record.CgroupPath);
            if (!cgroup.IsRoot)
            {
                cgroup.Kill();
            }
        }

        OciSignals.SignalInit(record, 9);
        for (int i = 0; i < 100 && OciContainerStatusProbe.IsInitAlive(record); i++)
        {
            Thread.Sleep(100);
        }

        if (OciContainerStatusProbe.IsInitAlive(record))
        {
            throw new LxiException("container init still running");
        }
    }

    private void Destroy(OciContainerLock held, OciContainerRecord record)
    {
        if (record.CgroupsCreated is { Count: > 0 } cgroups)
        {
            OciCgroups.Remove(cgroups);
        }

        if (record.CgroupsV1Created is { Count: > 0 } v1)
        {
            OciCgroups.RemoveV1(v1);
        }

        held.Remove();
        OciState state = StateFor(record, 0, OciContainerStatus.Stopped);
        foreach (OciHookResult failure in OciHookRunner.RunAll(record.Config?.Hooks, OciHookKind.Poststop, state))
        {
            _log.Warn("poststop hook failed: " + failure.Describe());
        }
    }

    private void Undo(OciContainerLock held, OciContainerRecord record, CreatedContainerProcess? process)
    {
        try
        {
            if (process is not null)
            {
                record.Pid = process.Pid;
                record.PidStartTime = process.StartTime;
                OciSignals.SignalInit(record, 9);
            }

            if (record.CgroupsCreated is { Count: > 0 } cgroups)
            {
                OciCgroups.Remove(cgroups);
            }

            if (record.CgroupsV1Created is { Count: > 0 } v1)
            {
                OciCgroups.RemoveV1(v1);
            }
        }
        catch (Exception e) when (e is LinuxSyscallException or IOException or TimeoutException or InvalidOperationException or OciStateException)
        {
            _log.Error($"undoing the failed create of {record.Id}: {e.Message}");
        }
        finally
        {
            held.Remove();
        }
    }

    private static void WritePidFile(string path, int pid)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
        File.WriteAllText(temp, pid.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, full, overwrite: true);
    }
}

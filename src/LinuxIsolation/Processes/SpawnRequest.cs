using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using LinuxIsolation.Netlink;
using LinuxIsolation.Processes.Native;
using LinuxIsolation.Seccomp;

namespace LinuxIsolation.Processes;

/// <summary>
/// One start: opens what the child needs (namespace files, the cgroup directory, stdio files and pipes),
/// flattens the start info into <see cref="lxi_spawn_spec"/> and calls <c>lxi_spawn</c>. Disposing closes
/// everything the child was given (the child has its own copies by then).
/// </summary>
internal sealed unsafe class SpawnRequest : IDisposable
{
    private readonly IsolatedProcessStartInfo _info;
    private readonly NativeArena _arena = new();
    private readonly List<SafeHandle> _owned = [];
    private readonly List<SafeHandle> _referenced = [];
    private readonly List<(int Source, int Target)> _fds = [];
    private SafeFileDescriptor? _deviceProgram;
    private SafeHandle? _cgroup;
    private uint[]? _oldDevicePrograms;

    public SpawnRequest(IsolatedProcessStartInfo info)
    {
        _info = info;
    }

    /// <summary>The caller's pipe ends, by stdio number, or null.</summary>
    public SafeFileDescriptor?[] ParentPipeEnds { get; } = new SafeFileDescriptor?[3];

    public IsolatedProcess Start()
    {
        try
        {
            return StartCore();
        }
        catch
        {
            // Whatever failed, the device program attached for this start goes too, so nothing is left behind.
            DetachDeviceProgram();
            throw;
        }
    }

    private IsolatedProcess StartCore()
    {
        lxi_spawn_spec spec = default;
        spec.size = (uint)sizeof(lxi_spawn_spec);
        spec.version = lxi_spawn_spec.Version;
        spec.path = _arena.String(_info.FileName);
        var argv = new List<string>(_info.Arguments.Count + 1) { _info.ArgumentZero ?? _info.FileName };
        argv.AddRange(_info.Arguments);
        spec.argv = _arena.StringArray(argv);
        var envp = new List<string>(_info.Environment.Count);
        foreach (KeyValuePair<string, string> e in _info.Environment)
        {
            envp.Add(e.Key + "=" + e.Value);
        }

        spec.envp = _arena.StringArray(envp);
        spec.clone_flags = (ulong)_info.NewNamespaces;

        bool newUser = _info.NewNamespaces.HasFlag(NamespaceFlags.User);
        if (newUser)
        {
            spec.uid_map = _arena.String(FormatMap(_info.UserIdMappings, Interop.geteuid()));
            spec.gid_map = _arena.String(FormatMap(_info.GroupIdMappings, Interop.getegid()));
            spec.deny_setgroups = (_info.DenySetGroups ?? Interop.geteuid() != 0) ? 1 : 0;
        }

        spec.cgroup_fd = CgroupFd(out _cgroup);
        if (_info.DeviceRules is not null)
        {
            AttachDeviceProgram(_cgroup!);
        }

        spec.hostname = _arena.String(_info.HostName);
        spec.domainname = _arena.String(_info.DomainName);
        if (_info.RootDirectory is not null)
        {
            spec.root = _arena.String(_info.RootDirectory);
            spec.root_mode = _info.RootChange == RootChange.Chroot ? SpawnConstants.LXI_ROOT_CHROOT : SpawnConstants.LXI_ROOT_PIVOT;
            spec.root_readonly = _info.ReadOnlyRoot ? 1 : 0;
            spec.bind_root = _info.BindMountRoot && _info.HasOwnMountNamespace ? 1 : 0;
            spec.root_flags = spec.bind_root != 0 && _info.RootNoDev ? SpawnConstants.MS_NODEV : 0;
        }

        // The first flag goes on "/" before anything is mounted; MS_SHARED or MS_UNBINDABLE on the new root after the root change.
        spec.propagation = _info.RootPropagation switch
        {
            MountPropagation.Private => SpawnConstants.MS_PRIVATE,
            MountPropagation.Shared => SpawnConstants.MS_SLAVE | SpawnConstants.MS_SHARED,
            MountPropagation.Unbindable => SpawnConstants.MS_SLAVE | SpawnConstants.MS_UNBINDABLE,
            _ => SpawnConstants.MS_SLAVE,
        };
        FillMounts(ref spec);
        spec.masked_count = (uint)_info.MaskedPaths.Count;
        spec.masked_paths = _arena.StringArray([.. _info.MaskedPaths]);
        spec.readonly_count = (uint)_info.ReadOnlyPaths.Count;
        spec.readonly_paths = _arena.StringArray([.. _info.ReadOnlyPaths]);
        FillJoins(ref spec);
        spec.cwd = _arena.String(_info.WorkingDirectory);

        if (_info.UserId is not null || _info.GroupId is not null || newUser)
        {
            spec.set_ids = 1;
            spec.uid = _info.UserId ?? (newUser ? 0 : Interop.geteuid());
            spec.gid = _info.GroupId ?? (newUser ? 0 : Interop.getegid());
            spec.group_count = (uint)_info.SupplementaryGroups.Count;
            spec.groups = _arena.Array<uint>(_info.SupplementaryGroups.Count);
            for (int i = 0; i < _info.SupplementaryGroups.Count; i++)
            {
                spec.groups[i] = _info.SupplementaryGroups[i];
            }
        }

        if (_info.KeepCapabilities is not null)
        {
            spec.set_caps = 1;
            spec.cap_keep = Mask(_info.KeepCapabilities);
            if (_info.EffectiveCapabilities is not null || _info.PermittedCapabilities is not null || _info.InheritableCapabilities is not null || _info.AmbientCapabilities is not null)
            {
                spec.cap_sets = 1;
                spec.cap_effective = Mask(_info.EffectiveCapabilities ?? _info.KeepCapabilities);
                spec.cap_permitted = Mask(_info.PermittedCapabilities ?? _info.KeepCapabilities);
                spec.cap_inheritable = Mask(_info.InheritableCapabilities ?? _info.KeepCapabilities);
                spec.cap_ambient = Mask(_info.AmbientCapabilities ?? _info.KeepCapabilities);
            }
        }

        spec.umask = _info.Umask is { } umask ? (int)umask : -1;
        spec.set_oom_score_adj = _info.OomScoreAdjustment is null ? 0 : 1;
        spec.oom_score_adj = _info.OomScoreAdjustment ?? 0;
        spec.sysctl_count = (uint)_info.Sysctls.Count;
        // Paths under /proc/sys ("net/ipv4/conf/eth0.100/forwarding"), so a dot inside a component stays a dot.
        string[] sysctlPaths = new string[_info.Sysctls.Count];
        string[] sysctlValues = new string[_info.Sysctls.Count];
        int sysctlIndex = 0;
        foreach (KeyValuePair<string, string> sysctl in _info.Sysctls)
        {
            sysctlPaths[sysctlIndex] = Namespaces.SysctlKey.ToNamespacedPath(sysctl.Key).Path["/proc/sys/".Length..];
            sysctlValues[sysctlIndex++] = sysctl.Value;
        }

        spec.sysctl_keys = _arena.StringArray(sysctlPaths);
        spec.sysctl_values = _arena.StringArray(sysctlValues);
        spec.terminal = _info.Terminal ? 1 : 0;
        spec.terminal_rows = _info.TerminalSize.Rows;
        spec.terminal_columns = _info.TerminalSize.Columns;
        spec.gate_fd = _info.StartGatePath is null
            ? -1
            // O_RDWR: opening a FIFO so never blocks, and the child, holding a writer itself, never reads end-of-file.
            : Own(Interop.open(_info.StartGatePath, Interop.O_RDWR | Interop.O_CLOEXEC, 0), "open", _info.StartGatePath);

        spec.no_new_privs = _info.NoNewPrivileges ? 1 : 0;
        spec.rlimit_count = (uint)_info.ResourceLimits.Count;
        spec.rlimits = _arena.Array<lxi_rlimit>(_info.ResourceLimits.Count);
        for (int i = 0; i < _info.ResourceLimits.Count; i++)
        {
            ResourceLimit l = _info.ResourceLimits[i];
            spec.rlimits[i] = new lxi_rlimit { resource = (uint)l.Resource, soft = l.Soft, hard = l.Hard };
        }

        spec.pdeath_signal = _info.ParentDeathSignal;
        AddStdio(_info.StandardInput, 0);
        AddStdio(_info.StandardOutput, 1);
        AddStdio(_info.StandardError, 2);
        foreach (InheritedFileDescriptor d in _info.InheritedFileDescriptors)
        {
            _fds.Add((Reference(d.Handle), d.TargetFd));
        }

        spec.fd_count = (uint)_fds.Count;
        spec.fds = _arena.Array<lxi_fd_map>(_fds.Count);
        for (int i = 0; i < _fds.Count; i++)
        {
            spec.fds[i] = new lxi_fd_map { source = _fds[i].Source, target = _fds[i].Target };
        }

        spec.use_init = _info.UseInit ? 1 : 0;
        spec.new_keyring = _info.NewSessionKeyring ? 1 : 0;
        byte[]? filter = _info.SeccompInstructions;
        uint seccompFlags = _info.SeccompFlags;
        if (_info.Seccomp is not null)
        {
            // Compiled (and checked) by Validate; cached on the filter.
            SeccompProgram program = _info.Seccomp.GetProgram();
            filter = program.InstructionArray;
            seccompFlags = program.Flags;
        }

        if (filter is not null)
        {
            byte* copy = _arena.Array<byte>(filter.Length);
            filter.AsSpan().CopyTo(new Span<byte>(copy, filter.Length));
            spec.seccomp_filter = copy;
            spec.seccomp_length = (uint)(filter.Length / 8);
            spec.seccomp_flags = seccompFlags;
        }
        spec.force_clone_fallback = _info.ForceCloneFallback ? 1 : 0;
        spec.fail_step = (int)_info.FailAtStep;

        lxi_spawn_result result = default;
        result.size = (uint)sizeof(lxi_spawn_result);
        int rc = Interop.lxi_spawn(&spec, &result);
        if (rc != 0)
        {
            string? path = Marshal.PtrToStringUTF8((nint)result.path);
            throw SpawnErrors.Create((SpawnStep)result.step, result.error, path, _info);
        }

        var pidfd = new SafeFileDescriptor(result.pidfd, ownsHandle: true);
        SafeFileDescriptor? listener = result.seccomp_listener >= 0 ? new SafeFileDescriptor(result.seccomp_listener, ownsHandle: true) : null;
        SafeFileDescriptor? terminal = result.terminal_master >= 0 ? new SafeFileDescriptor(result.terminal_master, ownsHandle: true) : null;
        try
        {
            var process = new IsolatedProcess(result.pid, pidfd, TakeStream(0), TakeStream(1), TakeStream(2), result.used_clone3 != 0, listener)
            {
                TerminalMaster = terminal,
                IsWaitingAtStartGate = result.waiting_at_gate != 0,
            };
            DetachOldDevicePrograms();
            return process;
        }
        catch
        {
            // The child runs, but the object that would own it could not be made: kill and reap it rather than
            // leave an unowned process (its exit signal is 0, so nothing else would reap it).
            Interop.lxi_pidfd_send_signal(result.pidfd, 9 /* SIGKILL */);
            Interop.siginfo_t info;
            Interop.waitid(Interop.P_PIDFD, result.pidfd, &info, Interop.WEXITED);
            pidfd.Dispose();
            listener?.Dispose();
            terminal?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (SafeHandle h in _referenced)
        {
            h.DangerousRelease();
        }

        _referenced.Clear();
        foreach (SafeHandle h in _owned)
        {
            h.Dispose();
        }

        _owned.Clear();
        _deviceProgram?.Dispose();
        foreach (SafeFileDescriptor? end in ParentPipeEnds)
        {
            end?.Dispose();
        }

        _arena.Dispose();
    }

    private static ulong Mask(IList<Capability> set)
    {
        ulong mask = 0;
        foreach (Capability c in set)
        {
            mask |= 1UL << (int)c;
        }

        return mask;
    }

    private static string FormatMap(IList<IdMapping> map, uint self)
    {
        if (map.Count == 0)
        {
            return $"0 {self} 1\n";
        }

        var sb = new System.Text.StringBuilder();
        foreach (IdMapping m in map)
        {
            sb.Append(m.ContainerId).Append(' ').Append(m.HostId).Append(' ').Append(m.Count).Append('\n');
        }

        return sb.ToString();
    }

    private int CgroupFd(out SafeHandle? handle)
    {
        handle = null;
        if (_info.CgroupDirectory is not null)
        {
            handle = _info.CgroupDirectory;
            return Reference(_info.CgroupDirectory);
        }

        if (_info.CgroupPath is not null)
        {
            int fd = Own(Interop.open(_info.CgroupPath, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0), "open", _info.CgroupPath);
            handle = _owned[^1];
            return fd;
        }

        return -1;
    }

    /// <summary>Loads the device program and attaches it to the cgroup, before the child exists.</summary>
    private void AttachDeviceProgram(SafeHandle cgroup)
    {
        string where = _info.CgroupPath ?? "the cgroup directory";
        SafeFileDescriptor program = Cgroups.Devices.DeviceControl.Load([.. _info.DeviceRules!], nameof(IsolatedProcessStartInfo.DeviceRules));
        try
        {
            _oldDevicePrograms = Cgroups.Devices.DeviceControl.Query(cgroup, where);
            Cgroups.Devices.DeviceControl.Attach(cgroup, program, where);
        }
        catch
        {
            program.Dispose();
            throw;
        }

        _deviceProgram = program;
    }

    /// <summary>
    /// The process runs: the device programs attached to the cgroup before this start are detached, so the rules
    /// are this start's and programs do not pile up (the kernel takes at most 64 per cgroup). Best effort: a
    /// program left attached can only refuse more (every attached program must allow an access).
    /// </summary>
    private void DetachOldDevicePrograms()
    {
        if (_deviceProgram is null || _cgroup is null || _oldDevicePrograms is null)
        {
            return;
        }

        foreach (uint id in _oldDevicePrograms)
        {
            using SafeFileDescriptor? old = Cgroups.Devices.DeviceControl.OpenById(id);
            if (old is not null)
            {
                Cgroups.Devices.DeviceControl.TryDetach(_cgroup, old.DangerousFileDescriptor);
            }
        }
    }

    /// <summary>The start failed: the program attached for it goes too, so nothing is left behind.</summary>
    private void DetachDeviceProgram()
    {
        if (_deviceProgram is not null && _cgroup is not null)
        {
            Cgroups.Devices.DeviceControl.TryDetach(_cgroup, _deviceProgram.DangerousFileDescriptor);
        }
    }

    private void FillMounts(ref lxi_spawn_spec spec)
    {
        spec.mount_count = (uint)_info.Mounts.Count;
        spec.mounts = _arena.Array<lxi_mount>(_info.Mounts.Count);
        for (int i = 0; i < _info.Mounts.Count; i++)
        {
            IsolatedMount m = _info.Mounts[i];
            ulong flags = 0;
            if (m.ReadOnly)
            {
                flags |= SpawnConstants.MS_RDONLY;
            }

            if (m.NoSuid)
            {
                flags |= SpawnConstants.MS_NOSUID;
            }

            if (m.NoDev)
            {
                flags |= SpawnConstants.MS_NODEV;
            }

            if (m.NoExec)
            {
                flags |= SpawnConstants.MS_NOEXEC;
            }

            if (m.Kind == MountKind.Bind && m.Recursive)
            {
                flags |= SpawnConstants.MS_REC;
            }

            // A tmpfs is mounted with these flags, a bind remounted with them (Validate allows them on those only).
            flags |= m.AccessTime switch
            {
                MountAccessTime.Relative => SpawnConstants.MS_RELATIME,
                MountAccessTime.Strict => SpawnConstants.MS_STRICTATIME,
                MountAccessTime.None => SpawnConstants.MS_NOATIME,
                _ => 0ul,
            };

            // Applied by the child after the mount (a propagation flag cannot go with the mount itself).
            flags |= m.Propagation switch
            {
                MountPropagation.Slave => SpawnConstants.MS_SLAVE,
                MountPropagation.Private => SpawnConstants.MS_PRIVATE,
                MountPropagation.Shared => SpawnConstants.MS_SHARED,
                MountPropagation.Unbindable => SpawnConstants.MS_UNBINDABLE,
                _ => 0u,
            };

            spec.mounts[i] = new lxi_mount
            {
                source = _arena.String(m.Source),
                target = _arena.String(m.Target),
                data = _arena.String(m.Options),
                flags = flags,
                kind = (uint)m.Kind,
            };
        }
    }

    private void FillJoins(ref lxi_spawn_spec spec)
    {
        // A user namespace first: joining it gives the capabilities needed to join the namespaces it owns.
        var joins = new List<NamespaceJoin>(_info.JoinNamespaces.Count);
        joins.AddRange(_info.JoinNamespaces.Where(j => j.Kind == NamespaceFlags.User));
        joins.AddRange(_info.JoinNamespaces.Where(j => j.Kind is not (NamespaceFlags.User or NamespaceFlags.Pid)));
        // A PID namespace is joined by the spawning thread around clone (it applies to children).
        spec.pid_ns_fd = -1;
        foreach (NamespaceJoin pid in _info.JoinNamespaces.Where(j => j.Kind == NamespaceFlags.Pid))
        {
            spec.pid_ns_fd = pid.Handle is not null
                ? Reference(pid.Handle)
                : Own(Interop.open(pid.Path!, Interop.O_RDONLY | Interop.O_CLOEXEC, 0), "open", pid.Path);
        }

        spec.join_count = (uint)joins.Count;
        spec.joins = _arena.Array<lxi_namespace_join>(joins.Count);
        for (int i = 0; i < joins.Count; i++)
        {
            NamespaceJoin j = joins[i];
            int fd = j.Handle is not null
                ? Reference(j.Handle)
                : Own(Interop.open(j.Path!, Interop.O_RDONLY | Interop.O_CLOEXEC, 0), "open", j.Path);
            spec.joins[i] = new lxi_namespace_join
            {
                fd = fd,
                nstype = (int)j.Kind,
                name = _arena.String(j.Path ?? $"{j.Kind} namespace fd {fd}"),
            };
        }
    }

    private void AddStdio(ProcessStdio stdio, int target)
    {
        switch (stdio.Kind)
        {
            case StdioKind.Inherit:
                return;
            case StdioKind.Null:
                _fds.Add((Own(Interop.open("/dev/null", Interop.O_RDWR | Interop.O_CLOEXEC, 0), "open", "/dev/null"), target));
                return;
            case StdioKind.File:
                int flags = target == 0
                    ? Interop.O_RDONLY
                    : Interop.O_WRONLY | Interop.O_CREAT | (stdio.Append ? O_APPEND : Interop.O_TRUNC);
                _fds.Add((Own(Interop.open(stdio.Path!, flags | Interop.O_CLOEXEC | Interop.O_NOCTTY, 0x1a4 /* 0644 */), "open", stdio.Path), target));
                return;
            case StdioKind.Handle:
                _fds.Add((Reference(stdio.Handle!), target));
                return;
            case StdioKind.Pipe:
                int* ends = stackalloc int[2];
                if (Interop.pipe2(ends, Interop.O_CLOEXEC) != 0)
                {
                    throw LinuxSyscallException.FromLastError("pipe2");
                }

                // stdin: the child reads ends[0]; stdout/stderr: the child writes ends[1].
                int childEnd = target == 0 ? ends[0] : ends[1];
                int parentEnd = target == 0 ? ends[1] : ends[0];
                ParentPipeEnds[target] = new SafeFileDescriptor(parentEnd, ownsHandle: true);
                _owned.Add(new SafeFileDescriptor(childEnd, ownsHandle: true));
                _fds.Add((childEnd, target));
                return;
            default:
                throw new ArgumentException($"Unknown stdio kind {stdio.Kind}.");
        }
    }

    private const int O_APPEND = 0x400;

    private int Own(int fd, string syscall, string? path)
    {
        if (fd < 0)
        {
            throw LinuxSyscallException.FromLastError(syscall, path);
        }

        _owned.Add(new SafeFileDescriptor(fd, ownsHandle: true));
        return fd;
    }

    private int Reference(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        _referenced.Add(handle);
        return (int)handle.DangerousGetHandle();
    }

    private FileStream? TakeStream(int target)
    {
        SafeFileDescriptor? end = ParentPipeEnds[target];
        if (end is null)
        {
            return null;
        }

        ParentPipeEnds[target] = null;
        int fd = end.DangerousFileDescriptor;
        end.SetHandleAsInvalid();
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle((nint)fd, ownsHandle: true);
        return new FileStream(handle, target == 0 ? FileAccess.Write : FileAccess.Read, bufferSize: 0);
    }
}

#pragma warning disable CA2208 // The parameter named in each ArgumentException is the start info property that breaks the rule.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LinuxIsolation.Seccomp;

namespace LinuxIsolation.Processes;

public sealed partial class IsolatedProcessStartInfo
{
    private const NamespaceFlags AllNamespaces = NamespaceFlags.Time | NamespaceFlags.Mount | NamespaceFlags.Cgroup |
        NamespaceFlags.Uts | NamespaceFlags.Ipc | NamespaceFlags.User | NamespaceFlags.Pid | NamespaceFlags.Network;

    /// <summary>
    /// Checks every rule without any system call that changes anything; throws <see cref="ArgumentException"/>
    /// naming the rule broken. <see cref="IsolatedProcess.Start"/> calls it first.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(FileName))
        {
            throw new ArgumentException("FileName is empty.", nameof(FileName));
        }

        PathRules.RequireNoNul(FileName, nameof(FileName));
        PathRules.RequireNoNul(ArgumentZero, nameof(ArgumentZero));
        foreach (string a in Arguments)
        {
            ArgumentNullException.ThrowIfNull(a, nameof(Arguments));
            PathRules.RequireNoNul(a, nameof(Arguments));
        }

        foreach (KeyValuePair<string, string> e in Environment)
        {
            if (e.Key.Length == 0 || e.Key.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"An environment variable name must be non-empty and without '=': \"{e.Key}\".", nameof(Environment));
            }

            PathRules.RequireNoNul(e.Key, nameof(Environment));
            PathRules.RequireNoNul(e.Value, nameof(Environment));
        }

        if ((NewNamespaces & ~AllNamespaces) != 0)
        {
            throw new ArgumentException($"Unknown namespace flags 0x{(long)(NewNamespaces & ~AllNamespaces):x}.", nameof(NewNamespaces));
        }

        // A mount namespace of the process's own: a new one, or one it joins (an existing container's, as runc
        // sets up a root in a joined one); never the caller's.
        bool newMount = HasOwnMountNamespace;
        ValidateJoins();
        ValidateIdMaps();
        ValidateIds();
        ValidateRoot(newMount);

        for (int i = 0; i < Mounts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(Mounts[i], nameof(Mounts));
            if (!newMount && !AllowMountsInCallerNamespace)
            {
                throw new ArgumentException("Mounts need a new mount namespace (NamespaceFlags.Mount) or a joined one (JoinNamespaces), or AllowMountsInCallerNamespace.", nameof(Mounts));
            }

            if (!newMount && RootDirectory is null)
            {
                throw new ArgumentException("Mounts in the caller's mount namespace (AllowMountsInCallerNamespace) need a RootDirectory to be made under.", nameof(Mounts));
            }

            Mounts[i].Validate(nameof(Mounts));
        }

        foreach ((IList<string> list, string name) in new[] { (MaskedPaths, nameof(MaskedPaths)), (ReadOnlyPaths, nameof(ReadOnlyPaths)) })
        {
            if (list.Count > 0 && !newMount)
            {
                throw new ArgumentException($"{name} need a new mount namespace (NamespaceFlags.Mount) or a joined one (JoinNamespaces).", name);
            }

            foreach (string p in list)
            {
                PathRules.RequireAbsolute(p, name, "a masked or read-only path");
            }
        }

        ValidateName(HostName, nameof(HostName));
        ValidateName(DomainName, nameof(DomainName));

        if (WorkingDirectory is not null)
        {
            PathRules.RequireAbsolute(WorkingDirectory, nameof(WorkingDirectory), "the working directory");
        }

        ValidateCapabilities();
        ValidateSeccomp();

        if (Umask is > 0x1ff)
        {
            throw new ArgumentException($"A umask is 0 to 0777: {Convert.ToString(Umask.Value, 8)} (octal).", nameof(Umask));
        }

        if (OomScoreAdjustment is < -1000 or > 1000)
        {
            throw new ArgumentException($"OomScoreAdjustment is -1000 to 1000: {OomScoreAdjustment}.", nameof(OomScoreAdjustment));
        }

        foreach (KeyValuePair<string, string> sysctl in Sysctls)
        {
            NamespaceFlags needed = Namespaces.SysctlKey.ToNamespacedPath(sysctl.Key).Namespace;
            if ((NewNamespaces & needed) == 0 && !JoinNamespaces.Any(j => j.Kind == needed))
            {
                throw new ArgumentException($"Sysctl {sysctl.Key} belongs to the {needed} namespace: the process needs a new or joined one, or the write would change the host's.", nameof(Sysctls));
            }

            ArgumentNullException.ThrowIfNull(sysctl.Value, nameof(Sysctls));
            PathRules.RequireNoNul(sysctl.Value, nameof(Sysctls));
            if (sysctl.Value.Trim().Length == 0)
            {
                throw new ArgumentException($"An empty value for sysctl {sysctl.Key} is refused: writing nothing would reset a string sysctl rather than leave it alone.", nameof(Sysctls));
            }
        }

        if (Sysctls.Count > 0 && RootDirectory is not null && !Mounts.Any(m => m.Kind == MountKind.Proc && m.Target == "/proc"))
        {
            throw new ArgumentException("Sysctls are written through the process's /proc: with a new root, mount one at /proc (IsolatedMount.Proc()).", nameof(Sysctls));
        }

        if (Terminal && RootDirectory is not null && !Mounts.Any(m => m.Kind is MountKind.Dev or MountKind.Devpts))
        {
            throw new ArgumentException("A terminal is made from the process's /dev/ptmx: with a new root, mount a /dev (IsolatedMount.MinimalDev()) or a devpts.", nameof(Terminal));
        }

        if (StartGatePath is not null)
        {
            PathRules.RequireAbsolute(StartGatePath, nameof(StartGatePath), "the start gate");
            if (Interop.statx(StartGatePath, Interop.STATX_INO | 1 /* STATX_TYPE */, out Interop.statx_t st) != 0 || (st.stx_mode & 0xf000) != 0x1000)
            {
                throw new ArgumentException($"The start gate \"{StartGatePath}\" is not a FIFO (make it with mkfifo).", nameof(StartGatePath));
            }

            if (ParentDeathSignal != 0)
            {
                throw new ArgumentException("A process that waits at a start gate outlives its creator by design: ParentDeathSignal cannot be set with StartGatePath.", nameof(StartGatePath));
            }
        }

        foreach (ResourceLimit l in ResourceLimits)
        {
            // Range checks, not Enum.IsDefined: its first use builds the enum's name and value tables (reflection data),
            // a cost every fresh process's first spawn paid. The enums are contiguous; keep the last member here.
            if ((uint)l.Resource > (uint)ResourceLimitKind.RealTimeTimeout)
            {
                throw new ArgumentException($"Unknown resource limit {(int)l.Resource}.", nameof(ResourceLimits));
            }

            if (l.Soft > l.Hard)
            {
                throw new ArgumentException($"The soft limit of {l.Resource} ({l.Soft}) is above its hard limit ({l.Hard}).", nameof(ResourceLimits));
            }
        }

        if (ParentDeathSignal is < 0 or > 64)
        {
            throw new ArgumentException($"ParentDeathSignal {ParentDeathSignal} is not a signal number (0 for none, 1 to 64).", nameof(ParentDeathSignal));
        }

        if (CgroupPath is not null && CgroupDirectory is not null)
        {
            throw new ArgumentException("Give the cgroup as CgroupPath or as CgroupDirectory, not both.", nameof(CgroupPath));
        }

        if (CgroupPath is not null)
        {
            PathRules.RequireAbsolute(CgroupPath, nameof(CgroupPath), "the cgroup path");
            if (!File.Exists(Path.Combine(CgroupPath, "cgroup.procs")))
            {
                throw new ArgumentException($"\"{CgroupPath}\" is not a cgroup directory (it has no cgroup.procs).", nameof(CgroupPath));
            }
        }

        if (DeviceRules is not null)
        {
            if (CgroupPath is null && CgroupDirectory is null)
            {
                throw new ArgumentException("DeviceRules need the process's cgroup (CgroupPath or CgroupDirectory): the device program is attached to it.", nameof(DeviceRules));
            }

            foreach (Cgroups.Devices.DeviceRule rule in DeviceRules)
            {
                ArgumentNullException.ThrowIfNull(rule, nameof(DeviceRules));
                rule.Validate(nameof(DeviceRules));
            }
        }

        ValidateStdio(StandardInput, nameof(StandardInput));
        ValidateStdio(StandardOutput, nameof(StandardOutput));
        ValidateStdio(StandardError, nameof(StandardError));

        var targets = new HashSet<int>();
        foreach (InheritedFileDescriptor d in InheritedFileDescriptors)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(InheritedFileDescriptors));
            if (d.TargetFd < 3 || d.TargetFd > 65535)
            {
                throw new ArgumentException($"An inherited descriptor's number must be 3 to 65535 (0 to 2 are the standard streams): {d.TargetFd}.", nameof(InheritedFileDescriptors));
            }

            if (!targets.Add(d.TargetFd))
            {
                throw new ArgumentException($"Descriptor number {d.TargetFd} is given twice.", nameof(InheritedFileDescriptors));
            }

            if (d.Handle is null || d.Handle.IsInvalid || d.Handle.IsClosed)
            {
                throw new ArgumentException($"The handle for descriptor {d.TargetFd} is invalid or closed.", nameof(InheritedFileDescriptors));
            }
        }

        if (InheritedFileDescriptors.Count > 250)
        {
            throw new ArgumentException("At most 250 descriptors can be inherited.", nameof(InheritedFileDescriptors));
        }
    }

    private void ValidateJoins()
    {
        NamespaceFlags joined = NamespaceFlags.None;
        foreach (NamespaceJoin j in JoinNamespaces)
        {
            ArgumentNullException.ThrowIfNull(j, nameof(JoinNamespaces));
            if (j.Kind == NamespaceFlags.None || (j.Kind & (j.Kind - 1)) != 0 || (j.Kind & ~AllNamespaces) != 0)
            {
                throw new ArgumentException($"A namespace to join must be exactly one kind: {j.Kind}.", nameof(JoinNamespaces));
            }

            if (j.Kind is NamespaceFlags.Time)
            {
                throw new ArgumentException("Joining an existing time namespace is not supported (the kernel allows it only in a single-threaded process).", nameof(JoinNamespaces));
            }

            if ((joined & j.Kind) != 0)
            {
                throw new ArgumentException($"Two {j.Kind} namespaces to join.", nameof(JoinNamespaces));
            }

            if ((NewNamespaces & j.Kind) != 0)
            {
                throw new ArgumentException($"The {j.Kind} namespace is both created and joined.", nameof(JoinNamespaces));
            }

            if (j.Path is not null)
            {
                PathRules.RequireAbsolute(j.Path, nameof(JoinNamespaces), "a namespace path");
                if (!File.Exists(j.Path))
                {
                    throw new ArgumentException($"The namespace file \"{j.Path}\" does not exist.", nameof(JoinNamespaces));
                }
            }
            else if (j.Handle is null || j.Handle.IsInvalid || j.Handle.IsClosed)
            {
                throw new ArgumentException($"The {j.Kind} namespace handle is invalid or closed.", nameof(JoinNamespaces));
            }

            joined |= j.Kind;
        }
    }

    private void ValidateIdMaps()
    {
        bool newUser = NewNamespaces.HasFlag(NamespaceFlags.User);
        if (!newUser && (UserIdMappings.Count > 0 || GroupIdMappings.Count > 0))
        {
            throw new ArgumentException("Id mappings need a new user namespace (NamespaceFlags.User).", nameof(UserIdMappings));
        }

        ValidateMap(UserIdMappings, nameof(UserIdMappings));
        ValidateMap(GroupIdMappings, nameof(GroupIdMappings));
    }

    private static void ValidateMap(IList<IdMapping> map, string name)
    {
        if (map.Count > 340)
        {
            throw new ArgumentException("An id map has at most 340 ranges (Linux 4.15).", name);
        }

        for (int i = 0; i < map.Count; i++)
        {
            IdMapping m = map[i];
            if (m.Count == 0)
            {
                throw new ArgumentException($"Id mapping {i} has a count of 0.", name);
            }

            if ((ulong)m.ContainerId + m.Count > uint.MaxValue || (ulong)m.HostId + m.Count > uint.MaxValue)
            {
                throw new ArgumentException($"Id mapping {i} runs past 4294967294.", name);
            }

            for (int k = 0; k < i; k++)
            {
                IdMapping o = map[k];
                if (Overlap(m.ContainerId, m.Count, o.ContainerId, o.Count))
                {
                    throw new ArgumentException($"Id mappings {k} and {i} overlap inside the namespace.", name);
                }

                if (Overlap(m.HostId, m.Count, o.HostId, o.Count))
                {
                    throw new ArgumentException($"Id mappings {k} and {i} overlap outside the namespace.", name);
                }
            }
        }

        static bool Overlap(uint a, uint an, uint b, uint bn) => (ulong)a < (ulong)b + bn && (ulong)b < (ulong)a + an;
    }

    private void ValidateCapabilities()
    {
        foreach ((IList<Capability>? set, string name) in new[]
        {
            (KeepCapabilities, nameof(KeepCapabilities)), (EffectiveCapabilities, nameof(EffectiveCapabilities)),
            (PermittedCapabilities, nameof(PermittedCapabilities)), (InheritableCapabilities, nameof(InheritableCapabilities)),
            (AmbientCapabilities, nameof(AmbientCapabilities)),
        })
        {
            if (set is null)
            {
                continue;
            }

            if (KeepCapabilities is null)
            {
                throw new ArgumentException($"{name} needs KeepCapabilities (the bounding set) too.", name);
            }

            foreach (Capability c in set)
            {
                if ((uint)c > (uint)Capability.CheckpointRestore)
                {
                    throw new ArgumentException($"Unknown capability number {(int)c}.", name);
                }
            }
        }
    }

    private void ValidateSeccomp()
    {
        if (Seccomp is null)
        {
            return;
        }

        SeccompProgram program;
        try
        {
            program = Seccomp.GetProgram();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Seccomp: {e.Message}", nameof(Seccomp), e);
        }

        SeccompAction execve = Seccomp.Decide("execve");
        SeccompAction execveat = Seccomp.Decide("execveat");
        if (!Runs(execve) && !Runs(execveat))
        {
            throw new ArgumentException(
                $"Seccomp: the filter refuses execve ({execve}) and execveat ({execveat}), which the child calls after installing it: the program could never start. Allow one of them.",
                nameof(Seccomp));
        }

        // The kernel takes a filter from a task without no_new_privs only if it has CAP_SYS_ADMIN in its user
        // namespace (EACCES otherwise); the child installs it before dropping capabilities, so the caller's own
        // count, unless the child gets a new user namespace, where it has them all.
        if (!NoNewPrivileges && !NewNamespaces.HasFlag(NamespaceFlags.User) && !CallerHasSysAdmin())
        {
            throw new ArgumentException(
                "Seccomp: without NoNewPrivileges the kernel installs a filter only for a task with CAP_SYS_ADMIN, which this process lacks (seccomp would fail with EACCES). Set NoNewPrivileges = true.",
                nameof(Seccomp));
        }

        _ = program;

        static bool Runs(SeccompAction action) =>
            action.Kind is SeccompActionKind.Allow or SeccompActionKind.Log
                or SeccompActionKind.UserNotify or SeccompActionKind.Trace;
    }

    /// <summary>CAP_SYS_ADMIN (21) in this process's effective set (the CapEff line of /proc/self/status).</summary>
    private static bool CallerHasSysAdmin()
    {
        foreach (string line in System.IO.File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("CapEff:", StringComparison.Ordinal))
            {
                ulong effective = ulong.Parse(line.AsSpan(7).Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                return (effective & (1UL << 21)) != 0;
            }
        }

        return false;
    }

    private void ValidateIds()
    {
        // (uid_t)-1 and (gid_t)-1 mean "leave unchanged" to setresuid/setresgid: the process would keep the
        // caller's ids (root) instead of running as an id that nobody has.
        const uint Unchanged = uint.MaxValue;
        if (UserId == Unchanged)
        {
            throw new ArgumentException("UserId 4294967295 is (uid_t)-1, which setresuid reads as \"leave unchanged\": the process would keep the caller's uid. Choose an id below 4294967295.", nameof(UserId));
        }

        if (GroupId == Unchanged)
        {
            throw new ArgumentException("GroupId 4294967295 is (gid_t)-1, which setresgid reads as \"leave unchanged\": the process would keep the caller's gid. Choose an id below 4294967295.", nameof(GroupId));
        }

        if (SupplementaryGroups.Contains(Unchanged))
        {
            throw new ArgumentException("Supplementary group 4294967295 is (gid_t)-1, not a group: choose an id below 4294967295.", nameof(SupplementaryGroups));
        }
    }

    /// <summary>True when <paramref name="path"/> is the host's root directory: the same device and inode as "/".</summary>
    private static bool IsHostRoot(string path)
    {
        if (Interop.statx(path, Interop.STATX_INO, out Interop.statx_t a) != 0 || Interop.statx("/", Interop.STATX_INO, out Interop.statx_t b) != 0)
        {
            return false; // Directory.Exists has just seen it: a race with its removal, which the child reports.
        }

        return a.stx_ino == b.stx_ino && a.stx_dev_major == b.stx_dev_major && a.stx_dev_minor == b.stx_dev_minor;
    }

    /// <summary>A new mount namespace, or one joined: where mounts, pivot_root and masked paths may be made.</summary>
    internal bool HasOwnMountNamespace => NewNamespaces.HasFlag(NamespaceFlags.Mount) || JoinNamespaces.Any(j => j?.Kind == NamespaceFlags.Mount);

    private void ValidateRoot(bool newMount)
    {
        if (RootDirectory is null)
        {
            if (ReadOnlyRoot)
            {
                throw new ArgumentException("ReadOnlyRoot needs a RootDirectory.", nameof(ReadOnlyRoot));
            }

            return;
        }

        PathRules.RequireAbsolute(RootDirectory, nameof(RootDirectory), "the root directory");
        if (!Directory.Exists(RootDirectory))
        {
            throw new ArgumentException($"The root directory \"{RootDirectory}\" does not exist or is not a directory.", nameof(RootDirectory));
        }

        if ((uint)RootChange > (uint)RootChange.Chroot)
        {
            throw new ArgumentException($"Unknown root change {(int)RootChange}.", nameof(RootChange));
        }

        if (IsHostRoot(RootDirectory))
        {
            throw new ArgumentException($"The root directory \"{RootDirectory}\" is the host's root (the same device and inode as \"/\"): a chroot there would give the process the whole host file system, and pivot_root refuses it. Give the container a root file system of its own.", nameof(RootDirectory));
        }

        if (RootChange == RootChange.PivotRoot && !newMount)
        {
            throw new ArgumentException("pivot_root needs a new mount namespace (NamespaceFlags.Mount) or a joined one (JoinNamespaces); use RootChange.Chroot for a plain chroot.", nameof(RootChange));
        }

        if ((ReadOnlyRoot || BindMountRoot && RootChange == RootChange.PivotRoot) && !newMount)
        {
            throw new ArgumentException("A read-only root needs a new mount namespace (NamespaceFlags.Mount) or a joined one (JoinNamespaces).", nameof(ReadOnlyRoot));
        }

        if (ReadOnlyRoot && !BindMountRoot)
        {
            throw new ArgumentException("ReadOnlyRoot needs BindMountRoot.", nameof(ReadOnlyRoot));
        }

        // The program must exist inside the new root, unless a mount provides it.
        if (FileName.StartsWith('/') && !Mounts.Any(m => FileName.StartsWith(m.Target.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            string inside = RootDirectory.TrimEnd('/') + FileName;
            if (!File.Exists(inside) && new FileInfo(inside).LinkTarget is null)
            {
                throw new ArgumentException($"The program \"{FileName}\" does not exist inside the root \"{RootDirectory}\".", nameof(FileName));
            }
        }
    }

    private void ValidateName(string? value, string name)
    {
        if (value is null)
        {
            return;
        }

        NamespaceFlags uts = NamespaceFlags.Uts;
        if ((NewNamespaces & uts) == 0 && !JoinNamespaces.Any(j => j.Kind == uts))
        {
            throw new ArgumentException($"{name} needs a new or joined UTS namespace (NamespaceFlags.Uts).", name);
        }

        if (value.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(value) > 64)
        {
            throw new ArgumentException($"{name} must be 1 to 64 bytes: \"{value}\".", name);
        }

        PathRules.RequireNoNul(value, name);
    }

    private static void ValidateStdio(ProcessStdio stdio, string name)
    {
        ArgumentNullException.ThrowIfNull(stdio, name);
        if (stdio.Kind == StdioKind.File)
        {
            PathRules.RequireAbsolute(stdio.Path, name, "a standard stream file");
        }
        else if (stdio.Kind == StdioKind.Handle && (stdio.Handle is null || stdio.Handle.IsInvalid || stdio.Handle.IsClosed))
        {
            throw new ArgumentException($"The {name} handle is invalid or closed.", name);
        }
    }
}

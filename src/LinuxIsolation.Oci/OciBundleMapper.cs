using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

/// <summary>
/// Maps a valid bundle to what the LinuxIsolation library takes: an <see cref="IsolatedProcessStartInfo"/>
/// (namespaces new and joined by path, id maps, pivot_root into the root, mounts with their options parsed,
/// rootfs propagation, a read-only root, masked and read-only paths, argv, environment, working directory, uid,
/// gid, additional gids, umask, each capability set, rlimits, no_new_privs, oom_score_adj, namespaced sysctls,
/// a terminal, host and domain name, the device allow-list), the cgroup (<see cref="OciCgroupPlan"/>) and the
/// settings applied to the created process (scheduler, I/O priority). A setting the
/// library cannot express yet is put in <see cref="OciContainerPlan.Unsupported"/> with its JSON path and what
/// is missing; AppArmor, SELinux and Intel RDT are refused there too. Nothing on the host is changed.
/// </summary>
public static partial class OciBundleMapper
{
    /// <summary>Maps <paramref name="bundle"/> for the container <paramref name="id"/>. Validate the bundle first (<see cref="OciBundle.Validate"/>).</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="id">The container id (the default cgroup name).</param>
    /// <param name="options">Mapping options and host facts, or null for this host's.</param>
    /// <exception cref="ArgumentException">The bundle has no process or root (it was not validated).</exception>
    public static OciContainerPlan Map(OciBundle bundle, string id, OciMappingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentException.ThrowIfNullOrEmpty(id);
        options ??= new OciMappingOptions();
        OciSpec spec = bundle.Spec;
        OciProcess process = spec.Process ?? throw new ArgumentException("config.json has no process (validate the bundle first)", nameof(bundle));
        string rootfs = bundle.RootfsPath ?? throw new ArgumentException("config.json has no root.path (validate the bundle first)", nameof(bundle));
        string program = process.Args is { Count: > 0 } ? process.Args[0] : throw new ArgumentException("process.args is empty (validate the bundle first)", nameof(bundle));

        var info = new IsolatedProcessStartInfo(program, process.Args.Skip(1).ToArray()) { ArgumentZero = program };
        var plan = new OciContainerPlan(bundle, id, info);
        OciLinux linux = spec.Linux ?? new OciLinux();

        MapNamespaces(linux, info, plan);
        MapRoot(spec, linux, rootfs, options, info, plan);
        MapMounts(spec, bundle, info, plan);
        MapProcess(process, info, plan, options);
        plan.Cgroup = MapCgroup(linux, id, options, plan);
        MapLinuxExtras(spec, linux, info, plan);
        plan.Hooks = spec.Hooks ?? new OciHooks();
        return plan;
    }

    private static void Gap(OciContainerPlan plan, string path, string message) => plan.UnsupportedList.Add(new OciValidationError(path, message));

    private static void Warn(OciContainerPlan plan, string path, string message) => plan.WarningList.Add(new OciValidationError(path, message));

    private static void MapNamespaces(OciLinux linux, IsolatedProcessStartInfo info, OciContainerPlan plan)
    {
        IList<OciNamespace> namespaces = linux.Namespaces ?? [];
        for (int i = 0; i < namespaces.Count; i++)
        {
            OciNamespace ns = namespaces[i];
            if (ns?.Type is null || !OciNames.Namespaces.TryGetValue(ns.Type, out NamespaceFlags flag))
            {
                continue;
            }

            if (string.IsNullOrEmpty(ns.Path))
            {
                info.NewNamespaces |= flag;
            }
            else if (flag is NamespaceFlags.Time)
            {
                Gap(plan, OciProblems.Index("linux.namespaces", i) + ".path",
                    "joining an existing time namespace is not supported: the kernel lets only a single-threaded process join one (NamespaceJoin refuses Time)");
            }
            else
            {
                info.JoinNamespaces.Add(NamespaceJoin.FromPath(flag, ns.Path));
            }
        }

        foreach (OciIdMapping m in linux.UidMappings ?? [])
        {
            info.UserIdMappings.Add(new IdMapping(m.ContainerId ?? 0, m.HostId ?? 0, m.Size ?? 0));
        }

        foreach (OciIdMapping m in linux.GidMappings ?? [])
        {
            info.GroupIdMappings.Add(new IdMapping(m.ContainerId ?? 0, m.HostId ?? 0, m.Size ?? 0));
        }

        if (linux.TimeOffsets is { Count: > 0 })
        {
            Gap(plan, "linux.timeOffsets", "time namespace clock offsets are not supported: IsolatedProcessStartInfo has no time offsets (the child must unshare(CLONE_NEWTIME), write /proc/self/timens_offsets, then fork the payload)");
        }
    }

    private static void MapRoot(OciSpec spec, OciLinux linux, string rootfs, OciMappingOptions options, IsolatedProcessStartInfo info, OciContainerPlan plan)
    {
        info.RootDirectory = rootfs;
        // A joined mount namespace (a path in linux.namespaces) gets the mounts and the root change as a new
        // one does, as runc sets them up in it.
        bool mountNamespace = info.NewNamespaces.HasFlag(NamespaceFlags.Mount) || info.JoinNamespaces.Any(j => j.Kind == NamespaceFlags.Mount);
        if (!mountNamespace || options.NoPivot)
        {
            info.RootChange = RootChange.Chroot;
            info.BindMountRoot = mountNamespace;
        }

        if (!mountNamespace && spec.Mounts is { Count: > 0 })
        {
            // The spec: without a mount namespace the container shares the runtime's. runc mounts there too.
            info.AllowMountsInCallerNamespace = true;
            Warn(plan, "linux.namespaces", "no mount namespace: the mounts are made in lxi's own mount namespace, under the root, and stay there after the container ends");
        }

        info.ReadOnlyRoot = spec.Root?.Readonly == true;
        if (info.ReadOnlyRoot && !mountNamespace)
        {
            Gap(plan, "root.readonly", "a read-only root needs a mount namespace in linux.namespaces");
            info.ReadOnlyRoot = false;
        }

        switch (linux.RootfsPropagation)
        {
            case null or "":
            case "slave" or "rslave":
                info.RootPropagation = MountPropagation.Slave;
                break;
            case "private" or "rprivate":
                info.RootPropagation = MountPropagation.Private;
                break;
            case "shared" or "rshared":
                info.RootPropagation = MountPropagation.Shared;
                break;
            case "unbindable" or "runbindable":
                info.RootPropagation = MountPropagation.Unbindable;
                break;
            default:
                Gap(plan, "linux.rootfsPropagation", $"{OciProblems.Quote(linux.RootfsPropagation)} is not a propagation lxi knows (slave, private, shared, unbindable, or their r forms)");
                break;
        }

        foreach (string p in linux.MaskedPaths ?? [])
        {
            info.MaskedPaths.Add(p);
        }

        foreach (string p in linux.ReadonlyPaths ?? [])
        {
            info.ReadOnlyPaths.Add(p);
        }

        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            info.HostName = spec.Hostname;
        }

        if (!string.IsNullOrEmpty(spec.Domainname))
        {
            info.DomainName = spec.Domainname;
        }
    }

    private static void MapProcess(OciProcess process, IsolatedProcessStartInfo info, OciContainerPlan plan, OciMappingOptions options)
    {
        info.Environment.Clear();
        IList<string> env = process.Env ?? [];
        for (int i = 0; i < env.Count; i++)
        {
            string e = env[i];
            int eq = e.IndexOf('=', StringComparison.Ordinal);
            string name = e.Substring(0, eq);
            if (info.Environment.ContainsKey(name))
            {
                Warn(plan, OciProblems.Index("process.env", i), $"{name} is given twice: the last value is kept (IsolatedProcessStartInfo.Environment holds one value per name, in name order)");
            }

            info.Environment[name] = e.Substring(eq + 1);
        }

        info.WorkingDirectory = process.Cwd;
        OciUser user = process.User ?? new OciUser { Uid = 0, Gid = 0 };
        info.UserId = user.Uid ?? 0;
        info.GroupId = user.Gid ?? 0;
        foreach (uint g in user.AdditionalGids ?? [])
        {
            info.SupplementaryGroups.Add(g);
        }

        info.Umask = user.Umask;
        info.NoNewPrivileges = process.NoNewPrivileges == true;
        plan.Terminal = process.Terminal == true;
        info.Terminal = plan.Terminal;
        if (plan.Terminal && process.ConsoleSize is { } size)
        {
            info.TerminalSize = ((ushort)Math.Min(size.Height ?? 0, ushort.MaxValue), (ushort)Math.Min(size.Width ?? 0, ushort.MaxValue));
        }

        MapRlimits(process, info, plan, options);
        MapCapabilities(process.Capabilities, info, plan, options);

        if (!string.IsNullOrEmpty(process.ApparmorProfile))
        {
            Gap(plan, "process.apparmorProfile", $"{OciProblems.Quote(process.ApparmorProfile)}: AppArmor is not supported by lxi (features: apparmor.enabled false)");
        }

        if (!string.IsNullOrEmpty(process.SelinuxLabel))
        {
            Gap(plan, "process.selinuxLabel", $"{OciProblems.Quote(process.SelinuxLabel)}: SELinux is not supported by lxi (features: selinux.enabled false)");
        }

        // Written by the child before it waits at the start gate (IsolatedProcessStartInfo.OomScoreAdjustment).
        info.OomScoreAdjustment = process.OomScoreAdj;
        plan.IoPriority = process.IoPriority;
        if (process.Scheduler is { } scheduler)
        {
            if (scheduler.Policy == "SCHED_ISO")
            {
                Gap(plan, "process.scheduler.policy", "SCHED_ISO is not a policy of the Linux kernel (sched_setattr has none of that name)");
            }
            else
            {
                plan.Scheduler = scheduler;
            }
        }
    }

    private static void MapRlimits(OciProcess process, IsolatedProcessStartInfo info, OciContainerPlan plan, OciMappingOptions options)
    {
        IList<OciRlimit> rlimits = process.Rlimits ?? [];
        bool canRaise = options.CanRaiseHardLimits ?? OciHost.HasEffectiveCapability(Capability.SysResource);
        for (int i = 0; i < rlimits.Count; i++)
        {
            OciRlimit r = rlimits[i];
            if (r.Type is null || !OciNames.Rlimits.TryGetValue(r.Type, out ResourceLimitKind kind))
            {
                continue;
            }

            ulong soft = r.Soft ?? 0, hard = r.Hard ?? 0;
            info.ResourceLimits.Add(new ResourceLimit(kind, soft, hard));
            if (!canRaise)
            {
                ulong current = options.HardLimitOf?.Invoke((int)kind) ?? OciHost.HardLimit((int)kind);
                if (hard > current)
                {
                    Gap(plan, OciProblems.Index("process.rlimits", i),
                        $"{r.Type} hard {Show(hard)} is above lxi's own hard limit {Show(current)}, and raising a hard limit needs CAP_SYS_RESOURCE, which lxi does not have (setrlimit would fail with EPERM)");
                }
            }
        }

        static string Show(ulong v) => v == ulong.MaxValue ? "unlimited" : v.ToString(CultureInfo.InvariantCulture);
    }

    private static void MapCapabilities(OciCapabilities? caps, IsolatedProcessStartInfo info, OciContainerPlan plan, OciMappingOptions options)
    {
        if (caps is null)
        {
            return;
        }

        ulong bounding = options.BoundingSet ?? OciHost.BoundingSet();
        var sets = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach ((string name, IList<string>? set) in OciValidator.CapabilitySets(caps))
        {
            ulong bits = 0;
            IList<string> list = set ?? [];
            for (int i = 0; i < list.Count; i++)
            {
                if (!OciCapabilityNames.TryParse(list[i], out Capability c))
                {
                    continue;
                }

                if ((bounding & (1UL << (int)c)) == 0)
                {
                    // config.md: a capability that cannot be granted MUST be logged as a warning; runtimes SHOULD NOT fail.
                    Warn(plan, OciProblems.Index($"process.capabilities.{name}", i), $"{list[i]} is not in lxi's bounding set; not granted");
                    continue;
                }

                bits |= 1UL << (int)c;
            }

            sets[name] = bits;
        }

        // The kernel raises an ambient capability only when it is permitted and inheritable (PR_CAP_AMBIENT_RAISE
        // fails with EPERM otherwise). `runc spec`'s default config lists ambient capabilities with no inheritable
        // set; runc warns and goes on ("can't raise ambient capability"), and so does lxi, before the spawn.
        ulong raisable = sets["permitted"] & sets["inheritable"];
        ulong unraisable = sets["ambient"] & ~raisable;
        if (unraisable != 0)
        {
            foreach (Capability c in ToList(unraisable))
            {
                Warn(plan, "process.capabilities.ambient", $"{Capabilities.GetName(c)} is not in both the permitted and the inheritable set, so the kernel cannot raise it in the ambient set; not raised");
            }

            sets["ambient"] &= raisable;
        }

        // Each set on its own, as config.md has them; a set left out of the config is empty (runc does the same).
        info.KeepCapabilities = ToList(sets["bounding"]);
        info.EffectiveCapabilities = ToList(sets["effective"]);
        info.PermittedCapabilities = ToList(sets["permitted"]);
        info.InheritableCapabilities = ToList(sets["inheritable"]);
        info.AmbientCapabilities = ToList(sets["ambient"]);

        static List<Capability> ToList(ulong bits) => Enum.GetValues<Capability>().Where(c => (bits & (1UL << (int)c)) != 0).ToList();
    }

    private static void MapLinuxExtras(OciSpec spec, OciLinux linux, IsolatedProcessStartInfo info, OciContainerPlan plan)
    {
        // linux.devices: the nodes are made by the runtime while the process waits (lxi makes them through
        // /proc/PID/root); the device program allows each of them, as runc does.
        if (linux.Devices is { Count: > 0 } && info.DeviceRules is { } rules)
        {
            foreach (OciDevice d in linux.Devices)
            {
                if (d.Type is "c" or "u" or "b")
                {
                    rules.Add(Cgroups.Devices.DeviceRule.FromOci(true, d.Type, d.Major, d.Minor, "rwm"));
                }
            }
        }

        if (linux.Seccomp is { } seccomp)
        {
            // The library compiles the OCI profile as runc does (names of other architectures skipped, ERRNO
            // without errnoRet is EPERM) and loads it in the child just before execve.
            try
            {
                info.Seccomp = LinuxIsolation.Seccomp.SeccompFilter.FromOciJson(OciJson.SerializeToUtf8(seccomp));
            }
            catch (FormatException e)
            {
                Gap(plan, "linux.seccomp", e.Message);
            }
            catch (ArgumentException e)
            {
                Gap(plan, "linux.seccomp", e.Message);
            }

            if (!string.IsNullOrEmpty(seccomp.ListenerPath))
            {
                Gap(plan, "linux.seccomp.listenerPath", "sending the notify descriptor to a listener socket is not supported: the library keeps it for the spawning process (IsolatedProcess.TryTakeSeccompNotifier), and lxi exits after create");
            }
        }

        if (linux.IntelRdt is not null)
        {
            Gap(plan, "linux.intelRdt", "Intel RDT is not supported by lxi (no resctrl support; features: intelRdt.enabled false)");
        }

        if (!string.IsNullOrEmpty(linux.MountLabel))
        {
            Gap(plan, "linux.mountLabel", $"{OciProblems.Quote(linux.MountLabel)}: SELinux is not supported by lxi (features: selinux.enabled false)");
        }

        if (linux.Personality is { Domain: "LINUX32" })
        {
            Gap(plan, "linux.personality.domain", "LINUX32 is not supported: IsolatedProcessStartInfo has no personality (personality(PER_LINUX32) in the child before execve)");
        }

        foreach (KeyValuePair<string, string> pair in linux.Sysctl ?? new Dictionary<string, string>())
        {
            string key = OciSysctl.Normalize(pair.Key);
            var sysctl = new OciSysctl(key, pair.Value, OciSysctl.Classify(key));
            if (sysctl.Namespace == OciSysctlNamespace.User)
            {
                Gap(plan, OciProblems.Key("linux.sysctl", pair.Key), "user.* sysctls are not supported: they must be written from inside the container's user namespace, which a multithreaded runtime cannot enter (needs the spawn path to write them in the child)");
                continue;
            }

            // Written by the child inside its namespaces before the gate; the library refuses keys of no namespace.
            info.Sysctls[key] = pair.Value;
        }

        _ = spec;
    }
}

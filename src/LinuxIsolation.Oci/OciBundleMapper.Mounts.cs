using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

public static partial class OciBundleMapper
{
    private const OciMountFlags BasicFlags = OciMountFlags.ReadOnly | OciMountFlags.NoSuid | OciMountFlags.NoDev | OciMountFlags.NoExec;

    /// <summary>The flags a fresh mount has anyway (the kernel defaults to relatime), so asking for them changes nothing.</summary>
    private const OciMountFlags DefaultFlags = OciMountFlags.RelAtime;

    private static void MapMounts(OciSpec spec, OciBundle bundle, IsolatedProcessStartInfo info, OciContainerPlan plan)
    {
        IList<OciMount> mounts = spec.Mounts ?? [];
        bool devMounted = false;
        for (int i = 0; i < mounts.Count; i++)
        {
            OciMount m = mounts[i];
            string at = OciProblems.Index("mounts", i);
            string destination = m.Destination!.StartsWith('/') ? m.Destination : "/" + m.Destination;
            OciMountOptions o = OciMountOptions.Parse(m.Options);
            string type = o.IsBind || m.Type == "bind" ? "bind" : m.Type ?? string.Empty;
            devMounted |= destination.TrimEnd('/') == "/dev";

            if (m.UidMappings is not null || o.IdMap)
            {
                Gap(plan, at, "id-mapped mounts are not supported: IsolatedMount has no id mapping (mount_setattr MOUNT_ATTR_IDMAP with a user namespace fd, Linux 5.12)");
            }

            if (o.TmpCopyUp)
            {
                Gap(plan, at + ".options", "\"tmpcopyup\" is not supported: IsolatedMount cannot copy the image's files into a new tmpfs");
            }

            if (o.Set.HasFlag(OciMountFlags.Remount))
            {
                Gap(plan, at + ".options", "\"remount\" is not supported: IsolatedMount always makes a new mount");
            }

            MountPropagation? propagation = MapPropagation(o);
            IsolatedMount? mapped = type switch
            {
                "bind" => MapBind(m, o, destination, at, bundle, plan),
                "tmpfs" when destination.TrimEnd('/') == "/dev" => MapDev(o, destination, at, plan),
                "tmpfs" => MapTmpfs(o, destination, at, plan),
                "proc" => MapSimple(MountKind.Proc, o, destination, at, plan, OciMountFlags.NoSuid | OciMountFlags.NoDev | OciMountFlags.NoExec, dataAllowed: true),
                "sysfs" => MapSysfs(o, destination, at, plan),
                "devpts" => MapSimple(MountKind.Devpts, o, destination, at, plan, OciMountFlags.NoSuid | OciMountFlags.NoExec, dataAllowed: true, readOnlyAllowed: false, noDevAllowed: false),
                // MountKind.Dev already mounts the IPC namespace's mqueue there: the same superblock on top of
                // itself is refused with EBUSY, and would add nothing.
                "mqueue" when devMounted && destination.TrimEnd('/') == "/dev/mqueue" && info.NewNamespaces.HasFlag(NamespaceFlags.Ipc) => null,
                "mqueue" => MapSimple(MountKind.Mqueue, o, destination, at, plan, OciMountFlags.NoSuid | OciMountFlags.NoDev | OciMountFlags.NoExec, dataAllowed: false, readOnlyAllowed: false),
                "cgroup" or "cgroup2" => DeferCgroupMount(m, plan),
                _ => Unmappable(plan, at + ".type", $"{OciProblems.Quote(m.Type)} is not supported: IsolatedMount mounts only bind, tmpfs, proc, sysfs, devpts, mqueue and a minimal /dev (needs a generic mount: type, source, flags and data)"),
            };
            if (mapped is not null)
            {
                info.Mounts.Add(propagation is null ? mapped : mapped with { Propagation = propagation });
            }
            else if (propagation is not null && type is not ("cgroup" or "cgroup2"))
            {
                Warn(plan, at + ".options", $"{OciProblems.Quote(o.PropagationOptions[^1])}: the mount is not made, so neither is its propagation");
            }
        }

        if (!devMounted && info.NewNamespaces.HasFlag(NamespaceFlags.Mount))
        {
            Gap(plan, "mounts", "no tmpfs on /dev: the default devices (null, zero, full, random, urandom, tty, ptmx and the fd links) MUST be supplied, and the library creates them only in the /dev of MountKind.Dev");
        }
    }

    /// <summary>
    /// A cgroup mount becomes a bind of the container's own cgroup v2 directory (read-only unless "rw" is asked),
    /// which the runtime adds once the cgroup exists (<see cref="OciContainerPlan.CgroupMounts"/>): what the
    /// container sees at the destination is its cgroup, as with cgroup2 mounted inside its cgroup namespace.
    /// </summary>
    private static IsolatedMount? DeferCgroupMount(OciMount m, OciContainerPlan plan)
    {
        plan.CgroupMountList.Add(m);
        return null;
    }

    private static IsolatedMount? Unmappable(OciContainerPlan plan, string path, string message)
    {
        Gap(plan, path, message);
        return null;
    }

    /// <summary>The last propagation option of a mount ("private", "rshared", ...), set on it after it is made; the r forms apply to its submounts, which only a recursive bind has.</summary>
    private static MountPropagation? MapPropagation(OciMountOptions o) =>
        (o.Propagation & ~OciMountFlags.Recursive) switch
        {
            OciMountFlags.None => null,
            OciMountFlags.Private => MountPropagation.Private,
            OciMountFlags.Shared => MountPropagation.Shared,
            OciMountFlags.Slave => MountPropagation.Slave,
            OciMountFlags.Unbindable => MountPropagation.Unbindable,
            _ => null,
        };

    private static void CheckRecursive(OciMountOptions o, string at, OciContainerPlan plan, bool rroAllowed)
    {
        foreach (string r in o.RecursiveOptions)
        {
            if ((r == "rro" && rroAllowed) || r == "rrw")
            {
                continue;
            }

            Gap(plan, at + ".options", $"{OciProblems.Quote(r)} is not supported: IsolatedMount has no recursive mount attributes (mount_setattr with AT_RECURSIVE, Linux 5.12)");
        }
    }

    private static void CheckFlags(OciMountOptions o, string at, OciContainerPlan plan, OciMountFlags allowed)
    {
        OciMountFlags extra = o.Set & ~(allowed | DefaultFlags | OciMountFlags.Bind | OciMountFlags.Recursive | OciMountFlags.Remount);
        if (extra != OciMountFlags.None)
        {
            Gap(plan, at + ".options", $"{extra} is not supported: IsolatedMount sets only ro, nosuid, nodev and noexec (needs the other MS_* flags: noatime, strictatime, nodiratime, sync, dirsync, lazytime, iversion, mand, silent, nosymfollow)");
        }
    }

    private static IsolatedMount? MapBind(OciMount m, OciMountOptions o, string destination, string at, OciBundle bundle, OciContainerPlan plan)
    {
        string source = Path.GetFullPath(m.Source!, bundle.Directory);
        CheckFlags(o, at, plan, BasicFlags | AccessTimeFlags);
        CheckRecursive(o, at, plan, rroAllowed: true);
        bool readOnly = o.Set.HasFlag(OciMountFlags.ReadOnly) || o.RecursiveSet.HasFlag(OciMountAttributes.ReadOnly);
        if (o.Set.HasFlag(OciMountFlags.ReadOnly) && o.IsRecursiveBind && !o.RecursiveSet.HasFlag(OciMountAttributes.ReadOnly))
        {
            Warn(plan, at + ".options", "\"ro\" with \"rbind\": the submounts are made read-only too (IsolatedMount.ReadOnly is recursive for recursive binds)");
        }

        if (!File.Exists(source) && !Directory.Exists(source))
        {
            Gap(plan, at + ".source", $"{OciProblems.Quote(m.Source)} ({source}) does not exist");
            return null;
        }

        return new IsolatedMount
        {
            Kind = MountKind.Bind,
            Source = source,
            Target = destination,
            Recursive = o.IsRecursiveBind,
            ReadOnly = readOnly,
            NoSuid = o.Set.HasFlag(OciMountFlags.NoSuid),
            NoDev = o.Set.HasFlag(OciMountFlags.NoDev),
            NoExec = o.Set.HasFlag(OciMountFlags.NoExec),
            AccessTime = AccessTimeOf(o, at, plan),
        };
    }

    private const OciMountFlags AccessTimeFlags = OciMountFlags.StrictAtime | OciMountFlags.NoAtime | OciMountFlags.RelAtime;

    private static MountAccessTime? AccessTimeOf(OciMountOptions o, string at, OciContainerPlan plan)
    {
        OciMountFlags times = o.Set & AccessTimeFlags;
        MountAccessTime? time = times switch
        {
            OciMountFlags.None => null,
            OciMountFlags.StrictAtime => MountAccessTime.Strict,
            OciMountFlags.NoAtime => MountAccessTime.None,
            OciMountFlags.RelAtime => MountAccessTime.Relative,
            _ => null,
        };
        if (times != OciMountFlags.None && time is null)
        {
            Gap(plan, at + ".options", $"{times} together: a mount has one access time setting");
        }

        return time;
    }

    private static IsolatedMount? MapSimple(MountKind kind, OciMountOptions o, string destination, string at, OciContainerPlan plan, OciMountFlags forced, bool dataAllowed, bool readOnlyAllowed = true, bool noDevAllowed = true, OciMountFlags extraAllowed = OciMountFlags.None)
    {
        OciMountFlags allowed = OciMountFlags.NoSuid | OciMountFlags.NoExec | (readOnlyAllowed ? OciMountFlags.ReadOnly : 0) | (noDevAllowed ? OciMountFlags.NoDev : 0) | extraAllowed;
        CheckFlags(o, at, plan, allowed | forced);
        CheckRecursive(o, at, plan, rroAllowed: readOnlyAllowed);
        if (!dataAllowed && o.Data is not null)
        {
            Gap(plan, at + ".options", $"{OciProblems.Quote(o.Data)} is not supported: the {kind} mount of IsolatedMount takes no file system options");
        }

        if (forced != OciMountFlags.None && (forced & ~o.Set) != OciMountFlags.None)
        {
            Warn(plan, at + ".options", $"the {kind} mount gets {forced & ~o.Set} as well (IsolatedMount always sets {forced} on it)");
        }

        return new IsolatedMount
        {
            Kind = kind,
            Target = destination,
            ReadOnly = o.Set.HasFlag(OciMountFlags.ReadOnly) || o.RecursiveSet.HasFlag(OciMountAttributes.ReadOnly),
            NoSuid = o.Set.HasFlag(OciMountFlags.NoSuid),
            NoDev = o.Set.HasFlag(OciMountFlags.NoDev),
            NoExec = o.Set.HasFlag(OciMountFlags.NoExec),
            Options = dataAllowed ? o.Data : null,
        };
    }

    /// <summary>A tmpfs takes the access time options too (strictatime, noatime, relatime), as its mount flags.</summary>
    private static IsolatedMount? MapTmpfs(OciMountOptions o, string destination, string at, OciContainerPlan plan)
    {
        IsolatedMount? mount = MapSimple(MountKind.Tmpfs, o, destination, at, plan, OciMountFlags.None, dataAllowed: true, extraAllowed: AccessTimeFlags);
        MountAccessTime? time = AccessTimeOf(o, at, plan);
        return mount is null || time is null ? mount : mount with { AccessTime = time };
    }

    private static IsolatedMount? MapSysfs(OciMountOptions o, string destination, string at, OciContainerPlan plan)
    {
        if (!o.Set.HasFlag(OciMountFlags.ReadOnly))
        {
            Gap(plan, at + ".options", "a read-write sysfs is not supported: MountKind.Sysfs is always read-only (add \"ro\")");
        }

        return MapSimple(MountKind.Sysfs, o, destination, at, plan, OciMountFlags.ReadOnly | OciMountFlags.NoSuid | OciMountFlags.NoDev | OciMountFlags.NoExec, dataAllowed: false);
    }

    private static readonly string[] DevData = ["mode=755", "size=65536k"];

    private static IsolatedMount? MapDev(OciMountOptions o, string destination, string at, OciContainerPlan plan)
    {
        // The OCI /dev is a tmpfs in which the runtime MUST create the default devices; the library does that only for
        // MountKind.Dev, whose tmpfs has fixed options: the ones runc, podman and containerd write.
        OciMountFlags extra = o.Set & ~(OciMountFlags.NoSuid | OciMountFlags.StrictAtime | OciMountFlags.NoExec | DefaultFlags);
        if (o.Set.HasFlag(OciMountFlags.NoExec))
        {
            // runtime-tools' default config asks for it; /dev holds device nodes and links, no programs.
            Warn(plan, at + ".options", "\"noexec\" is not applied: MountKind.Dev is a tmpfs with fixed flags (nosuid, strictatime)");
        }

        bool sameData = o.DataOptions.Order(StringComparer.Ordinal).SequenceEqual(DevData);
        if (extra != OciMountFlags.None || !sameData || o.RecursiveOptions.Count > 0)
        {
            Gap(plan, at + ".options", $"{string.Join(',', o.Options)} is not supported for /dev: MountKind.Dev (the only mount in which the library creates the default devices) is a tmpfs with nosuid,strictatime,mode=755,size=65536k (needs the devices created in a /dev tmpfs of any options)");
        }

        Warn(plan, at, "/dev is MountKind.Dev: it also mounts devpts on /dev/pts, a tmpfs on /dev/shm and, with a new IPC namespace, mqueue on /dev/mqueue; the config's own mounts there go on top");
        return IsolatedMount.MinimalDev(destination);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

public static partial class OciValidator
{
    private static void ValidateLinux(OciLinux linux, OciSpec spec, OciValidationOptions options, OciProblems p)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        IList<OciNamespace> namespaces = linux.Namespaces ?? [];
        for (int i = 0; i < namespaces.Count; i++)
        {
            string at = OciProblems.Index("linux.namespaces", i);
            OciNamespace ns = namespaces[i];
            if (ns is null)
            {
                p.Error(at, "must be an object, not null");
                continue;
            }

            if (ns.Type is null)
            {
                p.Error(at + ".type", "is required");
                continue;
            }

            if (!OciNames.Namespaces.ContainsKey(ns.Type))
            {
                p.Error(at + ".type", $"{OciProblems.Quote(ns.Type)} is not a namespace type (pid, network, mount, ipc, uts, user, cgroup, time)");
                continue;
            }

            if (first.TryGetValue(ns.Type, out int earlier))
            {
                p.Error(at + ".type", $"{OciProblems.Quote(ns.Type)} is given twice (also {OciProblems.Index("linux.namespaces", earlier)})");
                continue;
            }

            first[ns.Type] = i;
            if (!string.IsNullOrEmpty(ns.Path))
            {
                paths[ns.Type] = ns.Path;
                if (!ns.Path.StartsWith('/'))
                {
                    p.Error(at + ".path", $"{OciProblems.Quote(ns.Path)} must be an absolute path");
                }
                else if (options.CheckHost)
                {
                    CheckNamespacePath(ns.Type, ns.Path, at + ".path", p);
                }
            }
        }

        bool Has(string type) => first.ContainsKey(type);
        bool New(string type) => first.ContainsKey(type) && !paths.ContainsKey(type);

        bool mappings = linux.UidMappings is not null || linux.GidMappings is not null;
        if (mappings && !Has("user"))
        {
            p.Error(linux.UidMappings is not null ? "linux.uidMappings" : "linux.gidMappings", "needs a user namespace in linux.namespaces");
        }
        else if (mappings && !New("user"))
        {
            p.Error(linux.UidMappings is not null ? "linux.uidMappings" : "linux.gidMappings", "cannot be applied to a user namespace joined by path");
        }
        else if (New("user") && (linux.UidMappings is not { Count: > 0 } || linux.GidMappings is not { Count: > 0 }))
        {
            p.Error(linux.UidMappings is not { Count: > 0 } ? "linux.uidMappings" : "linux.gidMappings", "is required with a new user namespace (give the namespace a path to join one instead)");
        }

        ValidateIdMap(linux.UidMappings, "linux.uidMappings", p);
        ValidateIdMap(linux.GidMappings, "linux.gidMappings", p);

        if (linux.TimeOffsets is { Count: > 0 })
        {
            if (!Has("time"))
            {
                p.Error("linux.timeOffsets", "needs a time namespace in linux.namespaces");
            }
            else if (!New("time"))
            {
                p.Error("linux.timeOffsets", "cannot be applied to a time namespace joined by path");
            }

            foreach (KeyValuePair<string, OciTimeOffset> offset in linux.TimeOffsets)
            {
                if (offset.Key is not ("monotonic" or "boottime"))
                {
                    p.Error(OciProblems.Key("linux.timeOffsets", offset.Key), "is not a clock with an offset (monotonic, boottime)");
                }
                else if (offset.Value?.Nanosecs is >= 1_000_000_000)
                {
                    p.Error(OciProblems.Key("linux.timeOffsets", offset.Key) + ".nanosecs", $"{offset.Value.Nanosecs} is not below 1000000000");
                }
            }
        }

        ValidateDevices(linux.Devices, p);
        ValidateCgroupsPath(linux.CgroupsPath, p);
        if (linux.Resources is not null)
        {
            ValidateResources(linux.Resources, p);
        }

        if (linux.IntelRdt is { } rdt)
        {
            if (rdt.ClosId is "." or ".." || rdt.ClosId?.Contains('/', StringComparison.Ordinal) == true)
            {
                p.Error("linux.intelRdt.closID", $"{OciProblems.Quote(rdt.ClosId)} is not a resctrl group name");
            }

            if (rdt.MemBwSchema is not null && !MemBwSchema().IsMatch(rdt.MemBwSchema))
            {
                p.Error("linux.intelRdt.memBwSchema", $"{OciProblems.Quote(rdt.MemBwSchema)} must start with \"MB:\" and have no newline");
            }
        }

        ValidateSysctls(linux.Sysctl, first, paths, options, p);
        if (linux.Seccomp is not null)
        {
            ValidateSeccomp(linux.Seccomp, p);
        }

        if (linux.RootfsPropagation is { Length: > 0 } prop && !OciNames.Contains(OciNames.RootfsPropagations, prop))
        {
            p.Error("linux.rootfsPropagation", $"{OciProblems.Quote(prop)} is not shared, slave, private or unbindable");
        }

        foreach ((IList<string>? list, string name) in new[] { (linux.MaskedPaths, "linux.maskedPaths"), (linux.ReadonlyPaths, "linux.readonlyPaths") })
        {
            if (list is null)
            {
                continue;
            }

            if (list.Count > 0 && !Has("mount"))
            {
                p.Error(name, "needs a mount namespace in linux.namespaces");
            }

            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is null || !list[i].StartsWith('/'))
                {
                    p.Error(OciProblems.Index(name, i), $"{OciProblems.Quote(list[i])} must be an absolute path");
                }
            }
        }

        if (linux.Personality is { } personality)
        {
            if (personality.Domain is null)
            {
                p.Error("linux.personality.domain", "is required");
            }
            else if (personality.Domain is not ("LINUX" or "LINUX32"))
            {
                p.Error("linux.personality.domain", $"{OciProblems.Quote(personality.Domain)} is not LINUX or LINUX32");
            }

            for (int i = 0; i < (personality.Flags?.Count ?? 0); i++)
            {
                p.Error(OciProblems.Index("linux.personality.flags", i), $"{OciProblems.Quote(personality.Flags![i])} is not a personality flag (the spec defines none)");
            }
        }

        _ = spec;
    }

    private static void CheckNamespacePath(string type, string path, string at, OciProblems p)
    {
        NamespaceKind kind = (NamespaceKind)(long)OciNames.Namespaces[type];
        try
        {
            using NamespaceHandle handle = NamespaceHandle.OpenPath(path, kind);
        }
        catch (Exception e) when (e is LinuxSyscallException or ArgumentException or InvalidOperationException or System.IO.IOException)
        {
            p.Error(at, $"{OciProblems.Quote(path)} is not a {type} namespace: {e.Message}");
        }
    }

    private static void ValidateDevices(IList<OciDevice>? devices, OciProblems p)
    {
        if (devices is null)
        {
            return;
        }

        for (int i = 0; i < devices.Count; i++)
        {
            string at = OciProblems.Index("linux.devices", i);
            OciDevice d = devices[i];
            if (d is null)
            {
                p.Error(at, "must be an object, not null");
                continue;
            }

            if (string.IsNullOrEmpty(d.Path))
            {
                p.Error(at + ".path", "is required");
            }
            else if (!d.Path.StartsWith('/'))
            {
                p.Error(at + ".path", $"{OciProblems.Quote(d.Path)} must be an absolute path");
            }

            if (d.Type is null)
            {
                p.Error(at + ".type", "is required");
            }
            else if (d.Type is not ("c" or "b" or "u" or "p"))
            {
                p.Error(at + ".type", $"{OciProblems.Quote(d.Type)} is not a device type (c, b, u or p)");
            }
            else if (d.Type != "p")
            {
                if (d.Major is null)
                {
                    p.Error(at + ".major", "is required unless the type is p");
                }

                if (d.Minor is null)
                {
                    p.Error(at + ".minor", "is required unless the type is p");
                }
            }

            if (d.Major is < 0 || d.Minor is < 0)
            {
                p.Error(at, "major and minor must be 0 or more");
            }

            if (d.FileMode is > 0x1FF)
            {
                p.Error(at + ".fileMode", $"{d.FileMode} is not permission bits (0 to 0777)");
            }
        }
    }

    private static void ValidateCgroupsPath(string? path, OciProblems p)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..")
            {
                p.Error("linux.cgroupsPath", $"{OciProblems.Quote(path)} must not contain \".\" or \"..\" components");
                return;
            }

            if (!Cgroups.CgroupName.IsValid(part))
            {
                p.Error("linux.cgroupsPath", $"{OciProblems.Quote(path)}: {OciProblems.Quote(part)} is not a valid cgroup name");
                return;
            }
        }
    }

    private static void ValidateSysctls(IDictionary<string, string>? sysctls, Dictionary<string, int> namespaces, Dictionary<string, string> paths, OciValidationOptions options, OciProblems p)
    {
        if (sysctls is null)
        {
            return;
        }

        foreach (KeyValuePair<string, string> pair in sysctls)
        {
            string at = OciProblems.Key("linux.sysctl", pair.Key);
            string key = OciSysctl.Normalize(pair.Key);
            if (key.Length == 0 || key.Split('.').Any(c => c.Length == 0 || c == ".."))
            {
                p.Error(at, "is not a sysctl name");
                continue;
            }

            if (pair.Value is null)
            {
                p.Error(at, "must be a string, not null");
                continue;
            }

            switch (OciSysctl.Classify(key))
            {
                case OciSysctlNamespace.Ipc when !namespaces.ContainsKey("ipc"):
                    p.Error(at, "needs an ipc namespace in linux.namespaces (it would change the host's)");
                    break;
                case OciSysctlNamespace.Network when !namespaces.ContainsKey("network"):
                    p.Error(at, "needs a network namespace in linux.namespaces (it would change the host's)");
                    break;
                case OciSysctlNamespace.Network when options.CheckHost && paths.TryGetValue("network", out string? netns) && IsHostNetworkNamespace(netns):
                    p.Error(at, $"is not allowed in the host's network namespace ({netns})");
                    break;
                case OciSysctlNamespace.Uts when key == "kernel.hostname":
                    p.Error(at, "conflicts with the hostname field: set hostname instead");
                    break;
                case OciSysctlNamespace.Uts when !namespaces.ContainsKey("uts"):
                    p.Error(at, "needs a uts namespace in linux.namespaces (it would change the host's)");
                    break;
                case OciSysctlNamespace.User when !namespaces.ContainsKey("user"):
                    p.Error(at, "needs a user namespace in linux.namespaces (it would change the host's)");
                    break;
                case OciSysctlNamespace.None:
                    p.Error(at, "is not in a kernel namespace of the container (only IPC, network, UTS and user-namespace sysctls can be set)");
                    break;
            }
        }
    }

    private static bool IsHostNetworkNamespace(string path)
    {
        try
        {
            using NamespaceHandle mine = NamespaceHandle.OpenProcess(Environment.ProcessId, NamespaceKind.Network);
            using NamespaceHandle other = NamespaceHandle.OpenPath(path);
            return mine.IsSameAs(other);
        }
        catch (Exception e) when (e is LinuxSyscallException or ArgumentException or InvalidOperationException or System.IO.IOException)
        {
            return false;
        }
    }

    private static void ValidateSeccomp(OciSeccomp s, OciProblems p)
    {
        const string at = "linux.seccomp";
        bool notify = false;
        if (s.DefaultAction is null)
        {
            p.Error(at + ".defaultAction", "is required");
        }
        else if (!OciNames.Contains(OciNames.SeccompActions, s.DefaultAction))
        {
            p.Error(at + ".defaultAction", $"{OciProblems.Quote(s.DefaultAction)} is not a seccomp action (SCMP_ACT_*)");
        }
        else
        {
            notify |= s.DefaultAction == "SCMP_ACT_NOTIFY";
            if (s.DefaultErrnoRet is not null && s.DefaultAction is not ("SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE"))
            {
                p.Error(at + ".defaultErrnoRet", $"{s.DefaultAction} takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
            }
        }

        for (int i = 0; i < (s.Architectures?.Count ?? 0); i++)
        {
            if (!OciNames.Contains(OciNames.SeccompArchitectures, s.Architectures![i]))
            {
                p.Error(OciProblems.Index(at + ".architectures", i), $"{OciProblems.Quote(s.Architectures[i])} is not a seccomp architecture (SCMP_ARCH_*)");
            }
        }

        for (int i = 0; i < (s.Flags?.Count ?? 0); i++)
        {
            if (!OciNames.Contains(OciNames.SeccompFlags, s.Flags![i]))
            {
                p.Error(OciProblems.Index(at + ".flags", i), $"{OciProblems.Quote(s.Flags[i])} is not a seccomp filter flag (SECCOMP_FILTER_FLAG_*)");
            }
        }

        if (s.ListenerMetadata is not null && string.IsNullOrEmpty(s.ListenerPath))
        {
            p.Error(at + ".listenerMetadata", "must not be set without listenerPath");
        }

        if (s.ListenerPath is { Length: > 0 } && !s.ListenerPath.StartsWith('/'))
        {
            p.Error(at + ".listenerPath", $"{OciProblems.Quote(s.ListenerPath)} must be an absolute path");
        }

        for (int i = 0; i < (s.Syscalls?.Count ?? 0); i++)
        {
            string sat = OciProblems.Index(at + ".syscalls", i);
            OciSeccompSyscall rule = s.Syscalls![i];
            if (rule is null)
            {
                p.Error(sat, "must be an object, not null");
                continue;
            }

            if (rule.Names is not { Count: > 0 })
            {
                p.Error(sat + ".names", "must contain at least one system call name");
            }
            else if (rule.Names.Any(string.IsNullOrEmpty))
            {
                p.Error(sat + ".names", "must not contain an empty name");
            }

            if (rule.Action is null)
            {
                p.Error(sat + ".action", "is required");
            }
            else if (!OciNames.Contains(OciNames.SeccompActions, rule.Action))
            {
                p.Error(sat + ".action", $"{OciProblems.Quote(rule.Action)} is not a seccomp action (SCMP_ACT_*)");
            }
            else
            {
                notify |= rule.Action == "SCMP_ACT_NOTIFY";
                if (rule.ErrnoRet is not null && rule.Action is not ("SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE"))
                {
                    p.Error(sat + ".errnoRet", $"{rule.Action} takes no errno (only SCMP_ACT_ERRNO and SCMP_ACT_TRACE do)");
                }
            }

            for (int k = 0; k < (rule.Args?.Count ?? 0); k++)
            {
                string aat = OciProblems.Index(sat + ".args", k);
                OciSeccompArg arg = rule.Args![k];
                if (arg is null)
                {
                    p.Error(aat, "must be an object, not null");
                    continue;
                }

                if (arg.Index is null)
                {
                    p.Error(aat + ".index", "is required");
                }
                else if (arg.Index > 5)
                {
                    p.Error(aat + ".index", $"{arg.Index} is not a system call argument (0 to 5)");
                }

                if (arg.Value is null)
                {
                    p.Error(aat + ".value", "is required");
                }

                if (arg.Op is null)
                {
                    p.Error(aat + ".op", "is required");
                }
                else if (!OciNames.Contains(OciNames.SeccompOperators, arg.Op))
                {
                    p.Error(aat + ".op", $"{OciProblems.Quote(arg.Op)} is not a seccomp operator (SCMP_CMP_*)");
                }
            }
        }

        if (notify && string.IsNullOrEmpty(s.ListenerPath))
        {
            p.Error(at + ".listenerPath", "is required when SCMP_ACT_NOTIFY is used (the notify descriptor is sent there)");
        }
    }

    [GeneratedRegex(@"^MB:[^\n]*$")]
    private static partial Regex MemBwSchema();
}

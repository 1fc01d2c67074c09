using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

/// <summary>
/// Checks a config.json against the rules of runtime-spec 1.2 that a runtime must enforce (config.md,
/// config-linux.md, the JSON schema's required fields, patterns and enums) and the ones runc enforces on top
/// (id mappings need a user namespace, a host name needs a UTS namespace, masked paths need a mount
/// namespace, namespaced sysctls). Each error names the JSON path and the rule, e.g.
/// <c>linux.namespaces[2].type: "foo" is not a namespace type</c>. Nothing is changed on the host.
/// What is valid but not implemented is reported later, by <see cref="OciBundleMapper"/>.
/// </summary>
public static partial class OciValidator
{
    /// <summary>Validates <paramref name="spec"/>; never throws for a bad document (see <see cref="OciValidationResult.ThrowIfInvalid"/>).</summary>
    /// <param name="spec">The parsed config.json.</param>
    /// <param name="options">What else to check, or null for the document only (process required).</param>
    public static OciValidationResult Validate(OciSpec spec, OciValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        options ??= new OciValidationOptions();
        var p = new OciProblems();
        ValidateVersion(spec.OciVersion, p);
        ValidateRoot(spec.Root, options, p);
        if (spec.Process is null)
        {
            if (options.RequireProcess)
            {
                p.Error("process", "is required (start runs it)");
            }
        }
        else
        {
            ValidateProcess(spec.Process, "process", p);
        }

        HashSet<string> namespaces = NamespaceTypes(spec.Linux);
        ValidateUtsName(spec.Hostname, "hostname", namespaces, p);
        ValidateUtsName(spec.Domainname, "domainname", namespaces, p);
        ValidateMounts(spec.Mounts, namespaces, p);
        ValidateHooks(spec.Hooks, p);
        if (spec.Annotations is not null && spec.Annotations.Keys.Any(k => k.Length == 0))
        {
            p.Error("annotations", "keys must not be empty");
        }

        if (spec.Linux is null)
        {
            if (spec.Hostname is not null || spec.Domainname is not null)
            {
                // Reported by ValidateUtsName already.
            }
        }
        else
        {
            ValidateLinux(spec.Linux, spec, options, p);
        }

        return new OciValidationResult(p.Errors, p.Warnings);
    }

    /// <summary>Validates a process.json (what <c>exec -p</c> takes): the <c>process</c> rules of config.md.</summary>
    /// <param name="process">The process.</param>
    public static OciValidationResult ValidateProcess(OciProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var p = new OciProblems();
        ValidateProcess(process, string.Empty, p);
        return new OciValidationResult(p.Errors, p.Warnings);
    }

    /// <summary>Parses a SemVer 2.0.0 version; false when <paramref name="text"/> is not one.</summary>
    internal static bool TryParseSemVer(string? text, out int major, out int minor, out int patch)
    {
        major = minor = patch = 0;
        Match m = text is null ? Match.Empty : SemVer().Match(text);
        if (!m.Success)
        {
            return false;
        }

        return int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out major)
            && int.TryParse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture, out minor)
            && int.TryParse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture, out patch);
    }

    private static void ValidateVersion(string? version, OciProblems p)
    {
        if (string.IsNullOrEmpty(version))
        {
            p.Error("ociVersion", "is required");
            return;
        }

        if (!TryParseSemVer(version, out int major, out int minor, out _))
        {
            p.Error("ociVersion", $"{OciProblems.Quote(version)} is not a SemVer 2.0.0 version");
            return;
        }

        if (major != 1)
        {
            p.Error("ociVersion", $"{OciProblems.Quote(version)} is not supported: lxi implements {OciNames.MinimumSpecVersion} to {OciNames.SpecVersion} (major version 1)");
        }
        else if (minor > 2)
        {
            p.Warn("ociVersion", $"{OciProblems.Quote(version)} is newer than {OciNames.SpecVersion}: properties lxi does not know are ignored");
        }
    }

    private static void ValidateRoot(OciRoot? root, OciValidationOptions options, OciProblems p)
    {
        if (root is null)
        {
            p.Error("root", "is required on Linux");
            return;
        }

        if (string.IsNullOrEmpty(root.Path))
        {
            p.Error("root.path", "is required");
            return;
        }

        if (root.Path.Contains('\0', StringComparison.Ordinal))
        {
            p.Error("root.path", "must not contain a NUL character");
            return;
        }

        if (options.BundleDirectory is not null)
        {
            string full = Path.GetFullPath(root.Path, options.BundleDirectory);
            if (!Directory.Exists(full))
            {
                p.Error("root.path", $"{OciProblems.Quote(root.Path)} ({full}) is not a directory");
            }
        }
    }

    private static void ValidateProcess(OciProcess process, string at, OciProblems p)
    {
        string P(string name) => at.Length == 0 ? name : at + "." + name;
        if (process.Args is null || process.Args.Count == 0)
        {
            p.Error(P("args"), "must not be empty");
        }
        else
        {
            for (int i = 0; i < process.Args.Count; i++)
            {
                if (process.Args[i] is null)
                {
                    p.Error(OciProblems.Index(P("args"), i), "must be a string, not null");
                }
                else if (process.Args[i].Contains('\0', StringComparison.Ordinal))
                {
                    p.Error(OciProblems.Index(P("args"), i), "must not contain a NUL character");
                }
            }

            if (process.Args[0] is { Length: 0 })
            {
                p.Error(OciProblems.Index(P("args"), 0), "must not be empty (it is the program)");
            }
        }

        if (process.Cwd is null)
        {
            p.Error(P("cwd"), "is required");
        }
        else if (!process.Cwd.StartsWith('/'))
        {
            p.Error(P("cwd"), $"{OciProblems.Quote(process.Cwd)} must be an absolute path");
        }

        ValidateEnvironment(process.Env, P("env"), p);
        if (process.Terminal == true && process.ConsoleSize is { } size)
        {
            if (size.Height is null)
            {
                p.Error(P("consoleSize.height"), "is required");
            }

            if (size.Width is null)
            {
                p.Error(P("consoleSize.width"), "is required");
            }
        }

        if (process.User is { } user)
        {
            if (user.Uid is null)
            {
                p.Error(P("user.uid"), "is required");
            }

            if (user.Gid is null)
            {
                p.Error(P("user.gid"), "is required");
            }

            if (user.Umask is > 0x1FF)
            {
                p.Error(P("user.umask"), $"{user.Umask} is not a umask (0 to 0777)");
            }
        }

        ValidateRlimits(process.Rlimits, P("rlimits"), p);
        ValidateCapabilities(process.Capabilities, P("capabilities"), p);
        if (process.OomScoreAdj is < -1000 or > 1000)
        {
            p.Error(P("oomScoreAdj"), $"{process.OomScoreAdj} is outside -1000 to 1000");
        }

        ValidateScheduler(process.Scheduler, P("scheduler"), p);
        if (process.IoPriority is { } io)
        {
            if (io.Class is null)
            {
                p.Error(P("ioPriority.class"), "is required");
            }
            else if (!OciNames.Contains(OciNames.IoPriorityClasses, io.Class))
            {
                p.Error(P("ioPriority.class"), $"{OciProblems.Quote(io.Class)} is not IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE");
            }

            if (io.Priority is < 0 or > 7)
            {
                p.Error(P("ioPriority.priority"), $"{io.Priority} is outside 0 (highest) to 7 (lowest)");
            }
        }

        if (process.ExecCpuAffinity is { } affinity)
        {
            ValidateCpuList(affinity.Initial, P("execCPUAffinity.initial"), p);
            ValidateCpuList(affinity.Final, P("execCPUAffinity.final"), p);
        }
    }

    private static void ValidateEnvironment(IList<string>? env, string path, OciProblems p)
    {
        if (env is null)
        {
            return;
        }

        for (int i = 0; i < env.Count; i++)
        {
            string? e = env[i];
            int eq = e?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (e is null || eq <= 0)
            {
                p.Error(OciProblems.Index(path, i), $"{OciProblems.Quote(e)} is not NAME=VALUE");
            }
            else if (e.Contains('\0', StringComparison.Ordinal))
            {
                p.Error(OciProblems.Index(path, i), "must not contain a NUL character");
            }
        }
    }

    private static void ValidateRlimits(IList<OciRlimit>? rlimits, string path, OciProblems p)
    {
        if (rlimits is null)
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rlimits.Count; i++)
        {
            string at = OciProblems.Index(path, i);
            OciRlimit r = rlimits[i];
            if (r is null)
            {
                p.Error(at, "must be an object, not null");
                continue;
            }

            if (r.Type is null)
            {
                p.Error(at + ".type", "is required");
            }
            else if (!OciNames.Rlimits.ContainsKey(r.Type))
            {
                p.Error(at + ".type", $"{OciProblems.Quote(r.Type)} is not a resource limit of getrlimit(2) (RLIMIT_NOFILE, RLIMIT_NPROC, ...)");
            }
            else if (seen.TryGetValue(r.Type, out int first))
            {
                p.Error(at + ".type", $"{r.Type} is given twice (also {OciProblems.Index(path, first)})");
            }
            else
            {
                seen[r.Type] = i;
            }

            if (r.Soft is null)
            {
                p.Error(at + ".soft", "is required");
            }

            if (r.Hard is null)
            {
                p.Error(at + ".hard", "is required");
            }

            if (r.Soft > r.Hard)
            {
                p.Error(at, $"soft {r.Soft} is above hard {r.Hard}");
            }
        }
    }

    private static void ValidateCapabilities(OciCapabilities? caps, string path, OciProblems p)
    {
        if (caps is null)
        {
            return;
        }

        foreach ((string name, IList<string>? set) in CapabilitySets(caps))
        {
            if (set is null)
            {
                continue;
            }

            for (int i = 0; i < set.Count; i++)
            {
                if (OciCapabilityNames.TryParse(set[i], out _))
                {
                    continue;
                }

                // capabilities: "MUST be logged as a warning by the runtime. Runtimes SHOULD NOT fail".
                p.Warn(OciProblems.Index($"{path}.{name}", i), $"{OciProblems.Quote(set[i])} is not a capability this kernel interface knows; ignored");
            }
        }
    }

    internal static IEnumerable<(string Name, IList<string>? Set)> CapabilitySets(OciCapabilities caps)
    {
        yield return ("bounding", caps.Bounding);
        yield return ("effective", caps.Effective);
        yield return ("inheritable", caps.Inheritable);
        yield return ("permitted", caps.Permitted);
        yield return ("ambient", caps.Ambient);
    }

    private static void ValidateScheduler(OciScheduler? s, string path, OciProblems p)
    {
        if (s is null)
        {
            return;
        }

        if (s.Policy is null)
        {
            p.Error(path + ".policy", "is required");
            return;
        }

        if (!OciNames.Contains(OciNames.SchedulerPolicies, s.Policy))
        {
            p.Error(path + ".policy", $"{OciProblems.Quote(s.Policy)} is not a scheduling policy (SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE)");
            return;
        }

        if (s.Policy is "SCHED_OTHER" or "SCHED_BATCH" && s.Nice is < -20 or > 19)
        {
            p.Error(path + ".nice", $"{s.Nice} is outside -20 to 19");
        }

        if (s.Priority is not null and not 0 && s.Policy is not ("SCHED_FIFO" or "SCHED_RR"))
        {
            p.Error(path + ".priority", $"is only for SCHED_FIFO and SCHED_RR, not {s.Policy}");
        }
        else if (s.Priority is < 1 or > 99 && s.Policy is "SCHED_FIFO" or "SCHED_RR")
        {
            p.Error(path + ".priority", $"{s.Priority} is outside 1 to 99 for {s.Policy}");
        }

        if (s.Policy != "SCHED_DEADLINE" && (s.Runtime is not null and not 0 || s.Deadline is not null and not 0 || s.Period is not null and not 0))
        {
            p.Error(path, "runtime, deadline and period are only for SCHED_DEADLINE");
        }

        if (s.Flags is not null)
        {
            for (int i = 0; i < s.Flags.Count; i++)
            {
                if (!OciNames.Contains(OciNames.SchedulerFlags, s.Flags[i]))
                {
                    p.Error(OciProblems.Index(path + ".flags", i), $"{OciProblems.Quote(s.Flags[i])} is not a scheduler flag");
                }
            }
        }
    }

    internal static bool IsCpuList(string list)
    {
        foreach (string item in list.Split(','))
        {
            string[] range = item.Trim().Split('-');
            if (range.Length is not (1 or 2))
            {
                return false;
            }

            var values = new int[range.Length];
            for (int k = 0; k < range.Length; k++)
            {
                if (!int.TryParse(range[k].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out values[k]))
                {
                    return false;
                }
            }

            if (values.Length == 2 && values[0] > values[1])
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateCpuList(string? list, string path, OciProblems p)
    {
        if (!string.IsNullOrEmpty(list) && !IsCpuList(list))
        {
            p.Error(path, $"{OciProblems.Quote(list)} is not a CPU list like \"0-3,7\"");
        }
    }

    private static void ValidateUtsName(string? name, string path, HashSet<string> namespaces, OciProblems p)
    {
        if (name is null)
        {
            return;
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > 64)
        {
            p.Error(path, $"{OciProblems.Quote(name)} is longer than 64 bytes (the kernel's limit)");
        }
        else if (name.Contains('\0', StringComparison.Ordinal))
        {
            p.Error(path, "must not contain a NUL character");
        }

        if (name.Length > 0 && !namespaces.Contains("uts"))
        {
            p.Error(path, "needs a uts namespace in linux.namespaces (it would change the host's)");
        }
    }

    private static void ValidateHooks(OciHooks? hooks, OciProblems p)
    {
        if (hooks is null)
        {
            return;
        }

        foreach ((string name, IList<OciHook>? list) in HookLists(hooks))
        {
            if (list is null)
            {
                continue;
            }

            for (int i = 0; i < list.Count; i++)
            {
                string at = OciProblems.Index("hooks." + name, i);
                OciHook h = list[i];
                if (h is null)
                {
                    p.Error(at, "must be an object, not null");
                    continue;
                }

                if (string.IsNullOrEmpty(h.Path))
                {
                    p.Error(at + ".path", "is required");
                }
                else if (!h.Path.StartsWith('/'))
                {
                    p.Error(at + ".path", $"{OciProblems.Quote(h.Path)} must be an absolute path");
                }

                if (h.Timeout is <= 0)
                {
                    p.Error(at + ".timeout", $"{h.Timeout} must be greater than zero");
                }

                ValidateEnvironment(h.Env, at + ".env", p);
            }
        }

        if (hooks.Prestart is { Count: > 0 })
        {
            p.Warn("hooks.prestart", "is deprecated in favour of createRuntime, createContainer and startContainer");
        }
    }

    internal static IEnumerable<(string Name, IList<OciHook>? List)> HookLists(OciHooks hooks)
    {
        yield return ("prestart", hooks.Prestart);
        yield return ("createRuntime", hooks.CreateRuntime);
        yield return ("createContainer", hooks.CreateContainer);
        yield return ("startContainer", hooks.StartContainer);
        yield return ("poststart", hooks.Poststart);
        yield return ("poststop", hooks.Poststop);
    }

    internal static HashSet<string> NamespaceTypes(OciLinux? linux)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (OciNamespace ns in linux?.Namespaces ?? [])
        {
            if (ns?.Type is not null)
            {
                set.Add(ns.Type);
            }
        }

        return set;
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")]
    private static partial Regex SemVer();
}

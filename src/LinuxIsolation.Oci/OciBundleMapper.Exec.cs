using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;

namespace LinuxIsolation.Oci;

public static partial class OciBundleMapper
{
    /// <summary>
    /// Maps a process for <c>exec</c> into the running container whose init is <paramref name="initPid"/>: it
    /// joins the init's namespaces of the container's kinds (<c>nsenter -t PID --all</c>) and its cgroup, and runs
    /// with the process's settings. The pid namespace is joined around the clone, so the process is a member of the
    /// container's pid namespace (<c>nsenter -t PID --pid</c>); a time namespace cannot be joined and is listed as unsupported.
    /// </summary>
    /// <param name="process">The process (validated with <see cref="OciValidator.ValidateProcess(OciProcess)"/>).</param>
    /// <param name="config">The container's config (for its namespace kinds).</param>
    /// <param name="initPid">The container's init process.</param>
    /// <param name="cgroupPath">The container's cgroup directory, or null.</param>
    /// <param name="options">Host facts, or null for this host's.</param>
    public static OciExecPlan MapExec(OciProcess process, OciSpec config, int initPid, string? cgroupPath, OciMappingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(config);
        options ??= new OciMappingOptions();
        string program = process.Args is { Count: > 0 } ? process.Args[0] : throw new ArgumentException("process.args is empty", nameof(process));
        var info = new IsolatedProcessStartInfo(program, process.Args.Skip(1).ToArray()) { ArgumentZero = program };
        var bundle = OciBundle.FromSpec("/", new OciSpec { OciVersion = config.OciVersion, Process = process, Root = new OciRoot { Path = "/" } });
        var plan = new OciContainerPlan(bundle, "exec", info);

        // The user namespace first: the library joins it first, which gives the rights to join the others.
        foreach (string type in new[] { "user", "mnt", "net", "ipc", "uts", "cgroup", "pid", "time" })
        {
            string oci = type switch { "mnt" => "mount", "net" => "network", _ => type };
            if (config.Linux?.Namespaces?.Any(n => n.Type == oci) != true)
            {
                continue;
            }

            NamespaceFlags flag = OciNames.Namespaces[oci];
            string path = string.Create(CultureInfo.InvariantCulture, $"/proc/{initPid}/ns/{type}");
            if (flag is NamespaceFlags.Time)
            {
                Gap(plan, "linux.namespaces", "exec into the container's time namespace is not supported: the kernel lets only a single-threaded process join one");
                continue;
            }

            info.JoinNamespaces.Add(NamespaceJoin.FromPath(flag, path));
        }

        MapProcess(process, info, plan, options);
        if (process.ExecCpuAffinity is { Initial.Length: > 0 } or { Final.Length: > 0 })
        {
            Gap(plan, "process.execCPUAffinity", "is not supported: IsolatedProcessStartInfo has no CPU affinity (sched_setaffinity before and after joining the cgroup)");
        }

        if (process.Scheduler is not null || process.IoPriority is not null)
        {
            Warn(plan, "process", "scheduler and ioPriority of an exec process are applied after it started");
        }

        info.CgroupPath = cgroupPath is not null && File.Exists(Path.Combine(cgroupPath, "cgroup.procs")) ? cgroupPath : null;
        info.WorkingDirectory = process.Cwd;
        return new OciExecPlan(info, process.Terminal == true, plan.Unsupported, plan.Warnings);
    }
}

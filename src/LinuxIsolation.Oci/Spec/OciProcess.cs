using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process</c>: the container process (config.md "Process", "POSIX process", "Linux Process").</summary>
public sealed class OciProcess : OciObject
{
    /// <summary><c>terminal</c>: a pseudoterminal is allocated and becomes the process's standard streams (default false).</summary>
    [JsonPropertyName("terminal")]
    public bool? Terminal { get; set; }

    /// <summary><c>consoleSize</c>: the terminal's size in characters; ignored unless <see cref="Terminal"/> is true.</summary>
    [JsonPropertyName("consoleSize")]
    public OciConsoleSize? ConsoleSize { get; set; }

    /// <summary><c>user</c>: the uid, gid, umask and additional gids, in the container's user namespace (absent: 0 and 0).</summary>
    [JsonPropertyName("user")]
    public OciUser? User { get; set; }

    /// <summary><c>args</c>: argv; at least one entry, the first used as execvp's file.</summary>
    [JsonPropertyName("args")]
    public IList<string>? Args { get; set; }

    /// <summary><c>commandLine</c>: Windows only; kept and ignored on Linux.</summary>
    [JsonPropertyName("commandLine")]
    public string? CommandLine { get; set; }

    /// <summary><c>env</c>: the environment as "NAME=VALUE" entries.</summary>
    [JsonPropertyName("env")]
    public IList<string>? Env { get; set; }

    /// <summary><c>cwd</c> (REQUIRED): the absolute working directory inside the container.</summary>
    [JsonPropertyName("cwd")]
    public string? Cwd { get; set; }

    /// <summary><c>capabilities</c>: the five capability sets of the process; null leaves capabilities as the runtime has them.</summary>
    [JsonPropertyName("capabilities")]
    public OciCapabilities? Capabilities { get; set; }

    /// <summary><c>rlimits</c>: resource limits (setrlimit); a type at most once.</summary>
    [JsonPropertyName("rlimits")]
    public IList<OciRlimit>? Rlimits { get; set; }

    /// <summary><c>noNewPrivileges</c>: set no_new_privs (prctl PR_SET_NO_NEW_PRIVS).</summary>
    [JsonPropertyName("noNewPrivileges")]
    public bool? NoNewPrivileges { get; set; }

    /// <summary><c>apparmorProfile</c>: the AppArmor profile (lxi refuses it: no AppArmor support).</summary>
    [JsonPropertyName("apparmorProfile")]
    public string? ApparmorProfile { get; set; }

    /// <summary><c>oomScoreAdj</c>: the value for /proc/PID/oom_score_adj (-1000 to 1000); null leaves it unchanged.</summary>
    [JsonPropertyName("oomScoreAdj")]
    public int? OomScoreAdj { get; set; }

    /// <summary><c>scheduler</c>: the scheduling policy and its parameters (sched_setattr).</summary>
    [JsonPropertyName("scheduler")]
    public OciScheduler? Scheduler { get; set; }

    /// <summary><c>selinuxLabel</c>: the SELinux label (lxi refuses it: no SELinux support).</summary>
    [JsonPropertyName("selinuxLabel")]
    public string? SelinuxLabel { get; set; }

    /// <summary><c>ioPriority</c>: the I/O scheduling class and priority (ioprio_set).</summary>
    [JsonPropertyName("ioPriority")]
    public OciIoPriority? IoPriority { get; set; }

    /// <summary><c>execCPUAffinity</c>: the CPU affinity of a process started by <c>exec</c> (not the container's init).</summary>
    [JsonPropertyName("execCPUAffinity")]
    public OciCpuAffinity? ExecCpuAffinity { get; set; }
}

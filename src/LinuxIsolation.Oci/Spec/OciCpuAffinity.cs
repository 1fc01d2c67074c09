using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>process.execCPUAffinity</c>: CPU lists ("0-3,7") for a process started by <c>exec</c> (sched_setaffinity).</summary>
public sealed class OciCpuAffinity : OciObject
{
    /// <summary><c>initial</c>: the CPUs the runtime's process runs on before it joins the container's cgroup.</summary>
    [JsonPropertyName("initial")]
    public string? Initial { get; set; }

    /// <summary><c>final</c>: the CPUs the process runs on once in the container's cgroup.</summary>
    [JsonPropertyName("final")]
    public string? Final { get; set; }
}

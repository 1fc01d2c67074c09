using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace LinuxIsolation.Oci.Spec;

/// <summary><c>linux.resources</c>: the cgroup settings (config-linux.md "Control groups"), in cgroup v1 terms; lxi converts them to cgroup v2 files as runc does.</summary>
public sealed class OciResources : OciObject
{
    /// <summary><c>devices</c>: the device access list, applied in order.</summary>
    [JsonPropertyName("devices")]
    public IList<OciDeviceCgroup>? Devices { get; set; }

    /// <summary><c>memory</c>: memory limits.</summary>
    [JsonPropertyName("memory")]
    public OciMemory? Memory { get; set; }

    /// <summary><c>cpu</c>: CPU and cpuset settings.</summary>
    [JsonPropertyName("cpu")]
    public OciCpu? Cpu { get; set; }

    /// <summary><c>pids</c>: the task limit.</summary>
    [JsonPropertyName("pids")]
    public OciPids? Pids { get; set; }

    /// <summary><c>blockIO</c>: block I/O weights and throttles.</summary>
    [JsonPropertyName("blockIO")]
    public OciBlockIo? BlockIo { get; set; }

    /// <summary><c>hugepageLimits</c>: HugeTLB limits per page size.</summary>
    [JsonPropertyName("hugepageLimits")]
    public IList<OciHugepageLimit>? HugepageLimits { get; set; }

    /// <summary><c>network</c>: net_cls and net_prio (cgroup v1 only).</summary>
    [JsonPropertyName("network")]
    public OciNetwork? Network { get; set; }

    /// <summary><c>rdma</c>: RDMA limits by device name.</summary>
    [JsonPropertyName("rdma")]
    public IDictionary<string, OciRdma>? Rdma { get; set; }

    /// <summary><c>unified</c>: cgroup v2 interface files and the values to write ("memory.high": "1G"), written as given.</summary>
    [JsonPropertyName("unified")]
    public IDictionary<string, string>? Unified { get; set; }
}

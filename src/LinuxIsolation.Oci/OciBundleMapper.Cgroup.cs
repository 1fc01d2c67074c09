using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Cgroups.Devices;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

public static partial class OciBundleMapper
{
    /// <summary>Resolves <c>linux.cgroupsPath</c> as runc does: absolute below the hierarchy's root; relative (and the default, the container id) below the parent of the runtime's own cgroup.</summary>
    /// <param name="cgroupsPath">linux.cgroupsPath, or null.</param>
    /// <param name="id">The container id.</param>
    /// <param name="ownCgroup">The runtime's cgroup relative to the hierarchy ("/" on a host without a cgroup of its own).</param>
    public static string ResolveCgroupPath(string? cgroupsPath, string id, string ownCgroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(ownCgroup);
        string path = string.IsNullOrEmpty(cgroupsPath) ? id : cgroupsPath;
        string joined;
        if (path.StartsWith('/'))
        {
            joined = path;
        }
        else
        {
            string own = ownCgroup.TrimEnd('/');
            int slash = own.LastIndexOf('/');
            string parent = slash <= 0 ? string.Empty : own.Substring(0, slash);
            joined = parent + "/" + path;
        }

        string[] parts = joined.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts);
    }

    /// <summary>A path from /proc/self/cgroup (relative to the cgroup namespace) made relative to the hierarchy's mount root.</summary>
    private static string RelativeToMount(CgroupHierarchy hierarchy, string cgroup)
    {
        string root = hierarchy.MountRoot.TrimEnd('/');
        if (root.Length > 0 && (cgroup == root || cgroup.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            cgroup = cgroup.Substring(root.Length);
        }

        return cgroup.Length == 0 ? "/" : cgroup;
    }

    private static OciCgroupPlan? MapCgroup(OciLinux linux, string id, OciMappingOptions options, OciContainerPlan plan)
    {
        CgroupHierarchy? hierarchy = options.CgroupHierarchy;
        if (hierarchy is null)
        {
            try
            {
                hierarchy = CgroupHierarchy.Find();
            }
            catch (InvalidOperationException)
            {
                if (linux.Resources is not null || !string.IsNullOrEmpty(linux.CgroupsPath))
                {
                    Gap(plan, "linux.cgroupsPath", "no cgroup v2 hierarchy is mounted in lxi's mount namespace (lxi supports cgroup v2 only)");
                }

                return null;
            }
        }

        string own = options.OwnCgroup ?? RelativeToMount(hierarchy, OciHost.OwnCgroup());
        string relative = ResolveCgroupPath(linux.CgroupsPath, id, own);
        if (relative == "/")
        {
            Gap(plan, "linux.cgroupsPath", "resolves to the root of the cgroup hierarchy, which cannot hold a container");
        }

        var controllers = new List<(string Controller, string JsonPath)>();
        var v1 = new List<OciCgroupV1Write>();
        IReadOnlyList<string>? v2Controllers = null;
        string? V1MountFor(string controller)
        {
            if (!hierarchy.V1Controllers.TryGetValue(controller, out string? mount))
            {
                return null;
            }

            try
            {
                v2Controllers ??= hierarchy.GetRootControllers();
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or LinuxSyscallException)
            {
                return null;
            }

            return v2Controllers.Contains(controller) ? null : mount;
        }

        CgroupResources? resources = linux.Resources is null ? null : ConvertResources(linux.Resources, plan, controllers, V1MountFor, v1);
        return new OciCgroupPlan(relative, resources, controllers, v1);
    }

    /// <summary>
    /// linux.resources.cpu and .pids for a controller that this hybrid host binds to a cgroup v1 hierarchy (and
    /// not to the v2 one): the v1 files runc writes, with the spec's values unconverted; each out flag says that
    /// controller's settings were taken (and are not to be converted for cgroup v2).
    /// </summary>
    private static void ConvertCpuAndPidsToV1(OciResources r, Func<string, string?> v1MountFor, List<OciCgroupV1Write> v1, out bool cpuTaken, out bool cpusetTaken, out bool pidsTaken)
    {
        const string at = "linux.resources";
        cpuTaken = cpusetTaken = pidsTaken = false;
        static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
        if (r.Cpu is { } c && v1MountFor("cpu") is string cpu)
        {
            cpuTaken = true;
            if (c.Shares is > 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.shares", Text((long)c.Shares.Value), at + ".cpu.shares"));
            }

            // The period first: a quota is checked against it.
            if (c.Period is > 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.cfs_period_us", Text((long)c.Period.Value), at + ".cpu.period"));
            }

            if (c.Quota is long quota and not 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.cfs_quota_us", Text(quota < 0 ? -1 : quota), at + ".cpu.quota"));
            }

            if (c.Burst is ulong burst)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.cfs_burst_us", Text((long)burst), at + ".cpu.burst"));
            }

            if (c.Idle is long idle and not 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.idle", Text(idle), at + ".cpu.idle"));
            }

            if (c.RealtimePeriod is > 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.rt_period_us", Text((long)c.RealtimePeriod.Value), at + ".cpu.realtimePeriod"));
            }

            if (c.RealtimeRuntime is long runtime and not 0)
            {
                v1.Add(new OciCgroupV1Write("cpu", cpu, "cpu.rt_runtime_us", Text(runtime), at + ".cpu.realtimeRuntime"));
            }
        }

        if (r.Cpu is { } s && (!string.IsNullOrEmpty(s.Cpus) || !string.IsNullOrEmpty(s.Mems)) && v1MountFor("cpuset") is string cpuset)
        {
            cpusetTaken = true;
            if (!string.IsNullOrEmpty(s.Cpus))
            {
                v1.Add(new OciCgroupV1Write("cpuset", cpuset, "cpuset.cpus", s.Cpus, at + ".cpu.cpus"));
            }

            if (!string.IsNullOrEmpty(s.Mems))
            {
                v1.Add(new OciCgroupV1Write("cpuset", cpuset, "cpuset.mems", s.Mems, at + ".cpu.mems"));
            }
        }

        if (r.Pids?.Limit is long limit and not 0 && v1MountFor("pids") is string pids)
        {
            pidsTaken = true;
            v1.Add(new OciCgroupV1Write("pids", pids, "pids.max", limit < 0 ? "max" : Text(limit), at + ".pids.limit"));
        }

    }

    private static CgroupResources? ConvertResources(OciResources r, OciContainerPlan plan, List<(string, string)> controllers, Func<string, string?> v1MountFor, List<OciCgroupV1Write> v1)
    {
        const string at = "linux.resources";
        if (r.Devices is { Count: > 0 } devices)
        {
            plan.StartInfo.DeviceRules = ConvertDevices(devices, plan);
        }

        MemoryLimits? memory = ConvertMemory(r.Memory, plan, controllers);
        CpuLimits? cpu = null;
        CpusetLimits? cpuset = null;
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        ConvertCpuAndPidsToV1(r, v1MountFor, v1, out bool cpuInV1, out bool cpusetInV1, out bool pidsInV1);
        if (r.Cpu is { } c && !cpuInV1)
        {
            int? weight = c.Shares is > 0 ? (int)ConvertShares(c.Shares.Value) : null;
            long? quota = c.Quota switch { null => null, -1 => CgroupResources.Unlimited, 0 => null, long q => q };
            long? period = c.Period is > 0 ? (long)c.Period.Value : null;
            if (quota is null && period is not null)
            {
                quota = CgroupResources.Unlimited;
            }

            if (weight is not null || quota is not null || period is not null)
            {
                cpu = new CpuLimits { Weight = weight, QuotaMicroseconds = quota, PeriodMicroseconds = period };
                controllers.Add(("cpu", at + (weight is not null ? ".cpu.shares" : ".cpu.quota")));
            }

            if (c.Burst is not null)
            {
                raw["cpu.max.burst"] = c.Burst.Value.ToString(CultureInfo.InvariantCulture);
                controllers.Add(("cpu", at + ".cpu.burst"));
            }

            if (c.Idle is not null and not 0)
            {
                raw["cpu.idle"] = c.Idle.Value.ToString(CultureInfo.InvariantCulture);
                controllers.Add(("cpu", at + ".cpu.idle"));
            }

            if (c.RealtimeRuntime is not null and not 0 || c.RealtimePeriod is not null and not 0)
            {
                Gap(plan, at + ".cpu.realtimeRuntime", "realtime CPU limits are cgroup v1's cpu.rt_runtime_us and cpu.rt_period_us; cgroup v2 has no equivalent");
            }
        }

        if (r.Cpu is { } cs && !cpusetInV1 && (!string.IsNullOrEmpty(cs.Cpus) || !string.IsNullOrEmpty(cs.Mems)))
        {
            cpuset = new CpusetLimits { Cpus = string.IsNullOrEmpty(cs.Cpus) ? null : cs.Cpus, Mems = string.IsNullOrEmpty(cs.Mems) ? null : cs.Mems };
            controllers.Add(("cpuset", at + (string.IsNullOrEmpty(cs.Cpus) ? ".cpu.mems" : ".cpu.cpus")));
        }

        PidsLimits? pids = null;
        if (r.Pids?.Limit is long limit and not 0 && !pidsInV1)
        {
            pids = new PidsLimits { Max = limit < 0 ? CgroupResources.Unlimited : limit };
            controllers.Add(("pids", at + ".pids.limit"));
        }

        IoLimits? io = ConvertBlockIo(r.BlockIo, plan, controllers);
        List<HugetlbLimit>? hugetlb = null;
        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
        {
            OciHugepageLimit h = r.HugepageLimits![i];
            hugetlb ??= [];
            hugetlb.Add(new HugetlbLimit(h.PageSize!, h.Limit is > long.MaxValue ? CgroupResources.Unlimited : (long)(h.Limit ?? 0)));
            controllers.Add(("hugetlb", OciProblems.Index(at + ".hugepageLimits", i)));
        }

        if (r.Network is { } net && (net.ClassId is not null || net.Priorities is { Count: > 0 }))
        {
            Gap(plan, at + ".network", "net_cls and net_prio are cgroup v1 controllers; cgroup v2 has no equivalent");
        }

        if (r.Rdma is { Count: > 0 } rdma)
        {
            if (rdma.Count > 1)
            {
                Gap(plan, at + ".rdma", "more than one RDMA device is not supported: CgroupResources.Raw writes a file once, and rdma.max takes one device per write");
            }

            KeyValuePair<string, OciRdma> first = rdma.First();
            var parts = new List<string> { first.Key };
            if (first.Value.HcaHandles is uint handles)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"hca_handle={handles}"));
            }

            if (first.Value.HcaObjects is uint objects)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"hca_object={objects}"));
            }

            raw["rdma.max"] = string.Join(' ', parts);
            controllers.Add(("rdma", at + ".rdma"));
        }

        foreach (KeyValuePair<string, string> u in r.Unified ?? new Dictionary<string, string>())
        {
            // runtime-spec: written as given, after the converted values (so they win), and the controller MUST exist.
            raw[u.Key] = u.Value;
            string controller = u.Key.Substring(0, u.Key.IndexOf('.', StringComparison.Ordinal));
            if (controller != "cgroup")
            {
                controllers.Add((controller, OciProblems.Key(at + ".unified", u.Key)));
            }
        }

        if (memory is null && cpu is null && cpuset is null && pids is null && io is null && hugetlb is null && raw.Count == 0)
        {
            return null;
        }

        return new CgroupResources
        {
            Memory = memory,
            Cpu = cpu,
            Cpuset = cpuset,
            Pids = pids,
            Io = io,
            Hugetlb = hugetlb,
            Raw = raw.Count == 0 ? null : raw,
        };
    }

    /// <summary>runc's default list: one entry that denies everything ("allow": false, "access": "rwm").</summary>
    /// <summary>
    /// linux.resources.devices as the cgroup's eBPF device program (the last matching rule decides, as in the
    /// spec), followed by the devices every container gets (runc appends its default devices the same way:
    /// /dev/null, zero, full, random, urandom, tty, console, ptmx and the pseudo-terminals). Null when the rules
    /// allow every device (no device program).
    /// </summary>
    private static List<DeviceRule>? ConvertDevices(IList<OciDeviceCgroup> devices, OciContainerPlan plan)
    {
        var rules = new List<DeviceRule>();
        for (int i = 0; i < devices.Count; i++)
        {
            OciDeviceCgroup d = devices[i];
            try
            {
                rules.Add(DeviceRule.FromOci(d.Allow == true, d.Type, d.Major, d.Minor, d.Access));
            }
            catch (ArgumentException e)
            {
                Gap(plan, OciProblems.Index("linux.resources.devices", i), e.Message);
            }
        }

        // A rule that matches every access of every device decides alone for all that come before it, and the
        // eBPF program may not hold code that cannot be reached: keep only what follows the last such rule, and
        // leave a deny-all out (denying is what the program does when no rule matches).
        int last = rules.FindLastIndex(r => r.Type == DeviceType.All && r.Major is null && r.Minor is null && r.Access == DeviceAccess.All);
        bool allowAll = false;
        if (last >= 0)
        {
            allowAll = rules[last].Allow;
            rules.RemoveRange(0, allowAll ? last : last + 1);
        }

        if (allowAll && rules.Count == 1)
        {
            return null;
        }

        rules.AddRange(DeviceRules.ContainerDefaults);
        return rules;
    }

    /// <summary>runc's conversion of cpu.shares (2 to 262144, default 1024) to cpu.weight (1 to 10000, default 100).</summary>
    internal static ulong ConvertShares(ulong shares)
    {
        if (shares <= 2)
        {
            return 1;
        }

        if (shares >= 262144)
        {
            return 10000;
        }

        double l = Math.Log2(shares);
        double exponent = ((l * l) + (125 * l)) / 612.0 - 7.0 / 34.0;
        return (ulong)Math.Ceiling(Math.Pow(10, exponent));
    }

    /// <summary>runc's conversion of blkio.weight (10 to 1000) to io.weight (1 to 10000).</summary>
    internal static int ConvertBlkioWeight(ushort weight) => 1 + ((weight - 10) * 9999 / 990);

    private static MemoryLimits? ConvertMemory(OciMemory? m, OciContainerPlan plan, List<(string, string)> controllers)
    {
        if (m is null)
        {
            return null;
        }

        const string at = "linux.resources.memory";
        if (m.Kernel is not null and not 0)
        {
            Warn(plan, at + ".kernel", "kernel memory limits are deprecated and cgroup v2 has none; ignored (as runc does)");
        }

        if (m.KernelTcp is not null and not 0)
        {
            Gap(plan, at + ".kernelTCP", "a kernel TCP memory limit is cgroup v1's memory.kmem.tcp.limit_in_bytes; cgroup v2 has no equivalent");
        }

        if (m.Swappiness is not null)
        {
            Warn(plan, at + ".swappiness", "cgroup v2 has no per-cgroup swappiness; ignored (as runc does)");
        }

        if (m.DisableOomKiller == true)
        {
            Warn(plan, at + ".disableOOMKiller", "cgroup v2 cannot disable the OOM killer; ignored (as runc does)");
        }

        if (m.UseHierarchy == false)
        {
            Warn(plan, at + ".useHierarchy", "cgroup v2 is always hierarchical; ignored");
        }

        long limit = m.Limit ?? 0, swap = m.Swap ?? 0, reservation = m.Reservation ?? 0;
        long? max = limit switch { 0 => null, -1 => CgroupResources.Unlimited, _ => limit };
        long? low = reservation switch { 0 => null, -1 => CgroupResources.Unlimited, _ => reservation };
        long? swapMax = null;
        if (limit == -1 && swap == 0)
        {
            swapMax = CgroupResources.Unlimited;
        }
        else if (swap == -1)
        {
            swapMax = CgroupResources.Unlimited;
        }
        else if (swap > 0)
        {
            if (limit == -1)
            {
                swapMax = swap;
            }
            else if (limit == 0)
            {
                Gap(plan, at + ".swap", "a swap limit needs a memory limit (cgroup v2 memory.swap.max is memory+swap minus the limit)");
            }
            else
            {
                swapMax = swap - limit;
            }
        }

        if (max is null && low is null && swapMax is null)
        {
            return null;
        }

        controllers.Add(("memory", at + (max is not null ? ".limit" : low is not null ? ".reservation" : ".swap")));
        return new MemoryLimits { Max = max, Low = low, SwapMax = swapMax };
    }

    private static IoLimits? ConvertBlockIo(OciBlockIo? b, OciContainerPlan plan, List<(string, string)> controllers)
    {
        if (b is null)
        {
            return null;
        }

        const string at = "linux.resources.blockIO";
        if (b.LeafWeight is not null and not 0 || b.WeightDevice?.Any(w => w.LeafWeight is not null and not 0) == true)
        {
            Warn(plan, at + ".leafWeight", "leaf weights are CFQ's (cgroup v1); cgroup v2 has none; ignored (as runc does)");
        }

        int? weight = b.Weight is > 0 ? ConvertBlkioWeight(b.Weight.Value) : null;
        var weights = new List<IoDeviceWeight>();
        foreach (OciWeightDevice w in b.WeightDevice ?? [])
        {
            if (w.Weight is > 0)
            {
                weights.Add(new IoDeviceWeight((int)(w.Major ?? 0), (int)(w.Minor ?? 0), ConvertBlkioWeight(w.Weight.Value)));
            }
        }

        var limits = new Dictionary<(long, long), IoDeviceLimit>();
        foreach ((IList<OciThrottleDevice>? list, string name) in OciValidator.ThrottleLists(b))
        {
            foreach (OciThrottleDevice t in list ?? [])
            {
                (long, long) key = (t.Major ?? 0, t.Minor ?? 0);
                IoDeviceLimit current = limits.TryGetValue(key, out IoDeviceLimit? l) ? l : new IoDeviceLimit((int)key.Item1, (int)key.Item2);
                long rate = t.Rate is > long.MaxValue ? CgroupResources.Unlimited : (long)(t.Rate ?? 0);
                limits[key] = name switch
                {
                    "throttleReadBpsDevice" => current with { ReadBytesPerSecond = rate },
                    "throttleWriteBpsDevice" => current with { WriteBytesPerSecond = rate },
                    "throttleReadIOPSDevice" => current with { ReadIops = rate },
                    _ => current with { WriteIops = rate },
                };
            }
        }

        if (weight is null && weights.Count == 0 && limits.Count == 0)
        {
            return null;
        }

        controllers.Add(("io", at + (limits.Count > 0 ? ".throttle" : ".weight")));
        return new IoLimits
        {
            Weight = weight,
            DeviceWeights = weights.Count == 0 ? null : weights,
            DeviceLimits = limits.Count == 0 ? null : limits.Values.ToList(),
        };
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LinuxIsolation.Oci.Spec;

namespace LinuxIsolation.Oci;

public static partial class OciValidator
{
    private static void ValidateResources(OciResources r, OciProblems p)
    {
        const string at = "linux.resources";
        for (int i = 0; i < (r.Devices?.Count ?? 0); i++)
        {
            string dat = OciProblems.Index(at + ".devices", i);
            OciDeviceCgroup d = r.Devices![i];
            if (d is null)
            {
                p.Error(dat, "must be an object, not null");
                continue;
            }

            if (d.Allow is null)
            {
                p.Error(dat + ".allow", "is required");
            }

            if (d.Type is not (null or "" or "a" or "c" or "b"))
            {
                p.Error(dat + ".type", $"{OciProblems.Quote(d.Type)} is not a, c or b");
            }

            if (d.Access is { Length: > 0 } access && (access.Any(c => c is not ('r' or 'w' or 'm')) || access.Distinct().Count() != access.Length))
            {
                p.Error(dat + ".access", $"{OciProblems.Quote(access)} is not a combination of r, w and m");
            }

            if (d.Major is < -1 || d.Minor is < -1)
            {
                p.Error(dat, "major and minor must be 0 or more (or absent for all)");
            }
        }

        if (r.Memory is { } m)
        {
            CheckMemory(m.Limit, at + ".memory.limit", p);
            CheckMemory(m.Reservation, at + ".memory.reservation", p);
            CheckMemory(m.Swap, at + ".memory.swap", p);
            CheckMemory(m.Kernel, at + ".memory.kernel", p);
            CheckMemory(m.KernelTcp, at + ".memory.kernelTCP", p);
            if (m.Swappiness is > 100)
            {
                p.Error(at + ".memory.swappiness", $"{m.Swappiness} is outside 0 to 100");
            }

            if (m.Swap is > 0 && m.Limit is > 0 && m.Swap < m.Limit)
            {
                p.Error(at + ".memory.swap", $"{m.Swap} (memory plus swap) is below the memory limit {m.Limit}");
            }
        }

        if (r.Cpu is { } cpu)
        {
            if (cpu.Quota is < -1)
            {
                p.Error(at + ".cpu.quota", $"{cpu.Quota} is neither a quota nor -1 (none)");
            }

            if (cpu.Burst is not null && cpu.Quota is > 0 && cpu.Burst > (ulong)cpu.Quota.Value)
            {
                p.Error(at + ".cpu.burst", $"{cpu.Burst} is above the quota {cpu.Quota}");
            }

            if (cpu.Shares is not null and not 0 && cpu.Shares is < 2 or > 262144)
            {
                p.Error(at + ".cpu.shares", $"{cpu.Shares} is outside 2 to 262144");
            }

            ValidateCpuList(cpu.Cpus, at + ".cpu.cpus", p);
            ValidateCpuList(cpu.Mems, at + ".cpu.mems", p);
            if (cpu.Idle is not (null or 0 or 1))
            {
                p.Error(at + ".cpu.idle", $"{cpu.Idle} is neither 0 nor 1");
            }
        }

        if (r.Pids is { } pids)
        {
            if (pids.Limit is null)
            {
                p.Error(at + ".pids.limit", "is required");
            }
            else if (pids.Limit < -1)
            {
                p.Error(at + ".pids.limit", $"{pids.Limit} is neither a limit nor -1 (max)");
            }
        }

        if (r.BlockIo is { } io)
        {
            string bat = at + ".blockIO";
            CheckBlkioWeight(io.Weight, bat + ".weight", p);
            CheckBlkioWeight(io.LeafWeight, bat + ".leafWeight", p);
            for (int i = 0; i < (io.WeightDevice?.Count ?? 0); i++)
            {
                string wat = OciProblems.Index(bat + ".weightDevice", i);
                OciWeightDevice w = io.WeightDevice![i];
                if (w is null)
                {
                    p.Error(wat, "must be an object, not null");
                    continue;
                }

                CheckDevice(w.Major, w.Minor, wat, p);
                if (w.Weight is null && w.LeafWeight is null)
                {
                    p.Error(wat, "needs weight or leafWeight (or both)");
                }

                CheckBlkioWeight(w.Weight, wat + ".weight", p);
                CheckBlkioWeight(w.LeafWeight, wat + ".leafWeight", p);
            }

            foreach ((IList<OciThrottleDevice>? list, string name) in ThrottleLists(io))
            {
                for (int i = 0; i < (list?.Count ?? 0); i++)
                {
                    string tat = OciProblems.Index($"{bat}.{name}", i);
                    OciThrottleDevice t = list![i];
                    if (t is null)
                    {
                        p.Error(tat, "must be an object, not null");
                        continue;
                    }

                    CheckDevice(t.Major, t.Minor, tat, p);
                    if (t.Rate is null)
                    {
                        p.Error(tat + ".rate", "is required");
                    }
                }
            }
        }

        for (int i = 0; i < (r.HugepageLimits?.Count ?? 0); i++)
        {
            string hat = OciProblems.Index(at + ".hugepageLimits", i);
            OciHugepageLimit h = r.HugepageLimits![i];
            if (h is null)
            {
                p.Error(hat, "must be an object, not null");
                continue;
            }

            if (h.PageSize is null)
            {
                p.Error(hat + ".pageSize", "is required");
            }
            else if (!PageSize().IsMatch(h.PageSize))
            {
                p.Error(hat + ".pageSize", $"{OciProblems.Quote(h.PageSize)} is not a size like \"2MB\" or \"1GB\"");
            }

            if (h.Limit is null)
            {
                p.Error(hat + ".limit", "is required");
            }
        }

        for (int i = 0; i < (r.Network?.Priorities?.Count ?? 0); i++)
        {
            string nat = OciProblems.Index(at + ".network.priorities", i);
            OciInterfacePriority prio = r.Network!.Priorities![i];
            if (prio?.Name is null)
            {
                p.Error(nat + ".name", "is required");
            }

            if (prio?.Priority is null)
            {
                p.Error(nat + ".priority", "is required");
            }
        }

        foreach (KeyValuePair<string, OciRdma> rdma in r.Rdma ?? new Dictionary<string, OciRdma>())
        {
            if (rdma.Value?.HcaHandles is null && rdma.Value?.HcaObjects is null)
            {
                p.Error(OciProblems.Key(at + ".rdma", rdma.Key), "needs hcaHandles or hcaObjects (or both)");
            }
        }

        foreach (KeyValuePair<string, string> u in r.Unified ?? new Dictionary<string, string>())
        {
            string uat = OciProblems.Key(at + ".unified", u.Key);
            if (!Cgroups.CgroupName.IsValid(u.Key) || !u.Key.Contains('.', System.StringComparison.Ordinal))
            {
                p.Error(uat, "is not a cgroup v2 interface file name (CONTROLLER.FILE, one path component)");
            }
            else if (u.Value is null)
            {
                p.Error(uat, "must be a string, not null");
            }
        }
    }

    internal static IEnumerable<(IList<OciThrottleDevice>? List, string Name)> ThrottleLists(OciBlockIo io)
    {
        yield return (io.ThrottleReadBpsDevice, "throttleReadBpsDevice");
        yield return (io.ThrottleWriteBpsDevice, "throttleWriteBpsDevice");
        yield return (io.ThrottleReadIopsDevice, "throttleReadIOPSDevice");
        yield return (io.ThrottleWriteIopsDevice, "throttleWriteIOPSDevice");
    }

    private static void CheckMemory(long? value, string path, OciProblems p)
    {
        if (value is < -1)
        {
            p.Error(path, $"{value} is neither a number of bytes nor -1 (unlimited)");
        }
    }

    private static void CheckBlkioWeight(ushort? weight, string path, OciProblems p)
    {
        if (weight is not null and not 0 && weight is < 10 or > 1000)
        {
            p.Error(path, $"{weight} is outside 10 to 1000");
        }
    }

    private static void CheckDevice(long? major, long? minor, string path, OciProblems p)
    {
        if (major is null)
        {
            p.Error(path + ".major", "is required");
        }

        if (minor is null)
        {
            p.Error(path + ".minor", "is required");
        }

        if (major is < 0 || minor is < 0)
        {
            p.Error(path, "major and minor must be 0 or more");
        }
    }

    [GeneratedRegex(@"^[1-9][0-9]*[KMG]B$")]
    private static partial Regex PageSize();
}

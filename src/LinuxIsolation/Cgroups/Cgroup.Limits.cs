using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Cgroups;

public sealed partial class Cgroup
{
    /// <summary>
    /// Writes the limits in <paramref name="resources"/>: every non-null setting to its file (memory.*, cpu.max,
    /// cpu.weight, pids.max, io.max, io.weight, cpuset.*, hugetlb.*.max, then the raw files). All values are
    /// validated and every controller needed is checked first (a missing one gives a
    /// <see cref="CgroupControllerUnavailableException"/> saying why, e.g. bound to cgroup v1); then files are
    /// written in that order. A failed write throws a <see cref="CgroupException"/> naming the file and the value;
    /// earlier writes stay in effect. Equivalent to <c>echo VALUE &gt; FILE</c> for each. Not on the root cgroup.
    /// </summary>
    /// <param name="resources">The limits; null members are left alone.</param>
    public void Apply(CgroupResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        resources.Validate();
        foreach ((string _, string file, string? value) in PlanWrites(resources))
        {
            WriteLimit(file, value, resources);
        }
    }

    /// <summary>Writes one planned limit (a null value is cpu.max with only the period given).</summary>
    internal void WriteLimit(string file, string? value, CgroupResources resources) =>
        CgroupFiles.Write(this, file, value ?? CpuMaxWithPeriod(resources.Cpu!.PeriodMicroseconds!.Value));

    /// <summary>The files to write for <paramref name="resources"/>, in order, after checking every controller they need is available.</summary>
    internal IReadOnlyList<(string Controller, string File, string? Value)> PlanWrites(CgroupResources resources)
    {

        // A null value is cpu.max with only the period given: the current quota is read back once the controller is known to be there.
        var writes = new List<(string Controller, string File, string? Value)>();
        if (resources.Memory is { } m)
        {
            Add(writes, "memory", "memory.min", m.Min);
            Add(writes, "memory", "memory.low", m.Low);
            Add(writes, "memory", "memory.high", m.High);
            Add(writes, "memory", "memory.max", m.Max);
            Add(writes, "memory", "memory.swap.max", m.SwapMax);
            if (m.OomGroup is { } g)
            {
                writes.Add(("memory", "memory.oom.group", g ? "1" : "0"));
            }
        }

        if (resources.Cpu is { } c)
        {
            if (c.QuotaMicroseconds is { } quota)
            {
                string value = CgroupParser.FormatLimit(quota);
                if (c.PeriodMicroseconds is { } period)
                {
                    value += " " + period.ToString(CultureInfo.InvariantCulture);
                }

                writes.Add(("cpu", "cpu.max", value));
            }
            else if (c.PeriodMicroseconds is not null)
            {
                writes.Add(("cpu", "cpu.max", null));
            }

            if (c.Weight is { } w)
            {
                writes.Add(("cpu", "cpu.weight", w.ToString(CultureInfo.InvariantCulture)));
            }
        }

        if (resources.Pids is { } p)
        {
            Add(writes, "pids", "pids.max", p.Max);
        }

        if (resources.Io is { } io)
        {
            if (io.Weight is { } w)
            {
                writes.Add(("io", "io.weight", "default " + w.ToString(CultureInfo.InvariantCulture)));
            }

            foreach (IoDeviceWeight dw in io.DeviceWeights ?? [])
            {
                writes.Add(("io", "io.weight", string.Create(CultureInfo.InvariantCulture, $"{dw.Major}:{dw.Minor} {dw.Weight}")));
            }

            foreach (IoDeviceLimit dl in io.DeviceLimits ?? [])
            {
                var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{dl.Major}:{dl.Minor}"));
                AppendKey(sb, "rbps", dl.ReadBytesPerSecond);
                AppendKey(sb, "wbps", dl.WriteBytesPerSecond);
                AppendKey(sb, "riops", dl.ReadIops);
                AppendKey(sb, "wiops", dl.WriteIops);
                writes.Add(("io", "io.max", sb.ToString()));
            }
        }

        if (resources.Cpuset is { } cs)
        {
            if (cs.Cpus is not null)
            {
                writes.Add(("cpuset", "cpuset.cpus", cs.Cpus));
            }

            if (cs.Mems is not null)
            {
                writes.Add(("cpuset", "cpuset.mems", cs.Mems));
            }
        }

        foreach (HugetlbLimit h in resources.Hugetlb ?? [])
        {
            writes.Add(("hugetlb", h.FileName, CgroupParser.FormatLimit(h.Max)));
        }

        foreach (KeyValuePair<string, string> raw in resources.Raw ?? new Dictionary<string, string>())
        {
            writes.Add((string.Empty, raw.Key, raw.Value));
        }

        if (writes.Count == 0)
        {
            return writes;
        }

        if (IsRoot && writes.Any(w => w.Controller.Length > 0))
        {
            throw new InvalidOperationException($"the root cgroup {Path} has no limit files: create a child and limit that");
        }

        IReadOnlyList<string> available = GetAvailableControllers();
        foreach (string controller in writes.Select(w => w.Controller).Where(x => x.Length > 0).Distinct())
        {
            if (!available.Contains(controller))
            {
                throw Unavailable(controller);
            }
        }

        return writes;
    }

    private string CpuMaxWithPeriod(long period)
    {
        string quota = CgroupParser.ParseCpuMaxQuota(CgroupFiles.Read(this, "cpu.max"));
        return quota + " " + period.ToString(CultureInfo.InvariantCulture);
    }

    private static void Add(List<(string, string, string?)> writes, string controller, string file, long? value)
    {
        if (value is { } v)
        {
            writes.Add((controller, file, CgroupParser.FormatLimit(v)));
        }
    }

    private static void AppendKey(StringBuilder sb, string key, long? value)
    {
        if (value is { } v)
        {
            sb.Append(' ').Append(key).Append('=').Append(CgroupParser.FormatLimit(v));
        }
    }
}

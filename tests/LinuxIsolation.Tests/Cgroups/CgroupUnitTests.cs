using System;
using LinuxIsolation.Cgroups;
using Xunit;

namespace LinuxIsolation.Tests.Cgroups;

/// <summary>Parsing and validation, no privileges.</summary>
public class CgroupUnitTests
{
    private const string HybridMountinfo =
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
        "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n" +
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
        "37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n" +
        "38 30 0:35 / /sys/fs/cgroup/net_cls,net_prio rw,relatime shared:9 - cgroup cgroup rw,net_cls,net_prio\n" +
        "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n" +
        "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime shared:10 - cgroup2 cgroup2 rw\n";

    [Fact]
    public void HybridMountinfoFindsUnifiedAndV1Bindings()
    {
        CgroupHierarchy h = CgroupHierarchy.Parse(HybridMountinfo);
        Assert.Equal("/sys/fs/cgroup/unified", h.MountPoint);
        Assert.Equal("/", h.MountRoot);
        Assert.Equal("/sys/fs/cgroup/memory", h.V1Controllers["memory"]);
        Assert.Equal("/sys/fs/cgroup/blkio", h.V1Controllers["io"]);
        Assert.Equal("/sys/fs/cgroup/net_cls,net_prio", h.V1Controllers["net_prio"]);
        Assert.False(h.V1Controllers.ContainsKey("name=systemd"));
        Assert.False(h.V1Controllers.ContainsKey("pids"));
    }

    [Fact]
    public void PureV2MountinfoWithEscapesAndNamespaceRoot()
    {
        CgroupHierarchy h = CgroupHierarchy.Parse("25 20 0:22 /ci/job /mnt/my\\040cgroups rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n");
        Assert.Equal("/mnt/my cgroups", h.MountPoint);
        Assert.Equal("/ci/job", h.MountRoot);
        Assert.Empty(h.V1Controllers);
        Assert.Equal("/a", h.RelativeToMount("/ci/job/a"));
        Assert.Equal("/", h.RelativeToMount("/ci/job"));
        Assert.Throws<InvalidOperationException>(() => h.RelativeToMount("/other"));
    }

    [Fact]
    public void NoCgroup2MountIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => CgroupHierarchy.Parse("31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"));
        Assert.Contains("no cgroup2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("/")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    public void BadNamesAreRefused(string name)
    {
        Assert.False(CgroupName.IsValid(name));
        var e = Assert.Throws<ArgumentException>(() => CgroupName.Validate(name));
        Assert.Contains("is invalid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameLengthIsCountedInBytes()
    {
        Assert.True(CgroupName.IsValid(new string('a', 255)));
        Assert.False(CgroupName.IsValid(new string('a', 256)));
        Assert.False(CgroupName.IsValid(new string('é', 128))); // 256 bytes in UTF-8
        Assert.True(CgroupName.IsValid("job-42.scope"));
    }

    [Fact]
    public void CpuStatParsesEveryKey()
    {
        CpuStatistics s = CpuStatistics.Parse(
            "usage_usec 1000\nuser_usec 600\nsystem_usec 400\nnr_periods 20\nnr_throttled 7\nthrottled_usec 5555\nnr_bursts 0\nburst_usec 0\n");
        Assert.Equal(1000, s.UsageMicroseconds);
        Assert.Equal(600, s.UserMicroseconds);
        Assert.Equal(400, s.SystemMicroseconds);
        Assert.Equal(20, s.Periods);
        Assert.Equal(7, s.Throttled);
        Assert.Equal(5555, s.ThrottledMicroseconds);
        Assert.Equal(8, s.All.Count);

        CpuStatistics noController = CpuStatistics.Parse("usage_usec 5\nuser_usec 3\nsystem_usec 2\n");
        Assert.Null(noController.Throttled);
        Assert.Equal(5, noController.UsageMicroseconds);
    }

    [Fact]
    public void IoStatAndPressureParse()
    {
        IoStatistics io = IoStatistics.Parse("8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n254:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6 cost.vrate=100.00\n");
        Assert.Equal(2, io.Devices.Count);
        Assert.Equal((8, 16, 1459200L, 314773504L, 192L, 353L), (io.Devices[0].Major, io.Devices[0].Minor, io.Devices[0].ReadBytes, io.Devices[0].WriteBytes, io.Devices[0].ReadOperations, io.Devices[0].WriteOperations));
        Assert.Equal(6, io.Devices[1].DiscardOperations);
        Assert.Equal(7, io.Devices[1].All.Count);

        PressureStatistics p = PressureStatistics.Parse("some avg10=1.50 avg60=0.25 avg300=0.00 total=123456\nfull avg10=0.10 avg60=0.00 avg300=0.00 total=42\n");
        Assert.Equal(1.5, p.Some.Avg10);
        Assert.Equal(0.25, p.Some.Avg60);
        Assert.Equal(123456, p.Some.TotalMicroseconds);
        Assert.Equal(42, p.Full!.TotalMicroseconds);
    }

    [Fact]
    public void EventsFilesParse()
    {
        Assert.Equal(new CgroupEventsState(true, false), CgroupEventsState.Parse("populated 1\nfrozen 0\n"));
        MemoryEvents m = MemoryEvents.Parse("low 0\nhigh 3\nmax 9\noom 2\noom_kill 1\noom_group_kill 0\n");
        Assert.Equal((0L, 3L, 9L, 2L, 1L, (long?)0), (m.Low, m.High, m.Max, m.Oom, m.OomKill, m.OomGroupKill));
    }

    [Fact]
    public void LimitsAreValidatedBeforeAnyWrite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CgroupResources { Memory = new MemoryLimits { Max = -2 } }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CgroupResources { Cpu = new CpuLimits { Weight = 0 } }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CgroupResources { Cpu = new CpuLimits { PeriodMicroseconds = 10 } }.Validate());
        Assert.Throws<ArgumentException>(() => new CgroupResources { Cpuset = new CpusetLimits { Cpus = "0-" } }.Validate());
        Assert.Throws<ArgumentException>(() => new CgroupResources { Cpuset = new CpusetLimits { Cpus = "3-1" } }.Validate());
        Assert.Throws<ArgumentException>(() => new CgroupResources { Hugetlb = [new HugetlbLimit("2M", 1)] }.Validate());
        Assert.Throws<ArgumentException>(() => new CgroupResources { Raw = new System.Collections.Generic.Dictionary<string, string> { ["../x"] = "1" } }.Validate());
        Assert.Throws<ArgumentException>(() => new CgroupResources { Io = new IoLimits { DeviceLimits = [new IoDeviceLimit(8, 0)] } }.Validate());
        new CgroupResources { Cpuset = new CpusetLimits { Cpus = "0-3,6", Mems = "0" }, Hugetlb = [new HugetlbLimit("2MB", CgroupResources.Unlimited)] }.Validate();
    }

    [Fact]
    public void PercentOfACpuBecomesQuotaAndPeriod()
    {
        CpuLimits ten = CpuLimits.FromPercentOfOneCpu(10);
        Assert.Equal(10_000, ten.QuotaMicroseconds);
        Assert.Equal(100_000, ten.PeriodMicroseconds);
        Assert.Equal(150_000, CpuLimits.FromPercentOfOneCpu(150).QuotaMicroseconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuLimits.FromPercentOfOneCpu(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuLimits.FromPercentOfOneCpu(0.5)); // 500 µs < 1000 µs
    }

    [Fact]
    public void ErrorMessageNamesFileAndValue()
    {
        var e = new CgroupException(22, "write", "/sys/fs/cgroup/app/cpu.max", "max 100000");
        Assert.Equal("write \"max 100000\" to /sys/fs/cgroup/app/cpu.max: Invalid argument (EINVAL)", e.Message);
        Assert.Equal("max 100000", e.Value);
        Assert.Equal(22, e.Errno);
    }
}

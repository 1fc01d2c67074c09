using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Cgroups.Devices;
using LinuxIsolation.Oci;
using LinuxIsolation.Oci.Spec;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Oci.Tests;

/// <summary>
/// The mapping of config.json to the spawn's start info for what lxi needs from it (unprivileged: nothing is
/// created). Host facts are fixed through <see cref="OciMappingOptions"/>, so the results do not depend on lxi's
/// own capabilities and limits.
/// </summary>
public class BundleMapperTests
{
    private static readonly OciMappingOptions Host = new() { BoundingSet = ulong.MaxValue, CanRaiseHardLimits = true, OwnCgroup = "/lxi-tests/self" };

    /// <summary>runc's default config (what `lxi spec` writes) with the changes asked, mapped for container "c1".</summary>
    private static OciContainerPlan Map(System.Action<OciSpec> change)
    {
        OciSpec spec = OciDefaultSpec.Create();
        spec.Process!.Terminal = false;
        spec.Linux!.Seccomp = null;
        change(spec);
        return OciBundleMapper.Map(OciBundle.FromSpec("/tmp/lxi-oci-tests-bundle", spec), "c1", Host);
    }

    /// <summary>
    /// On a hybrid host (this one) the cpu, cpuset and pids settings whose controller only a cgroup v1 hierarchy
    /// has are written there unconverted, in runc's order; on a cgroup v2 host they are converted for v2. The
    /// expectation follows the host, read independently from /proc/self/mountinfo and cgroup.controllers.
    /// </summary>
    [Fact]
    public void CpuAndPidsLimitsGoWhereTheHostHasTheirController()
    {
        OciContainerPlan plan = Map(s => s.Linux!.Resources = new OciResources
        {
            Pids = new OciPids { Limit = 1000 },
            Cpu = new OciCpu { Shares = 2048, Period = 100000, Quota = 50000, Cpus = "0", Mems = "0" },
        });
        Assert.NotNull(plan.Cgroup);
        string[] v2 = [];
        var v1 = new Dictionary<string, string>();
        foreach (string line in System.IO.File.ReadAllLines("/proc/self/mountinfo"))
        {
            string[] halves = line.Split(" - ");
            string[] before = halves[0].Split(' '), after = halves[1].Split(' ');
            if (after[0] == "cgroup2")
            {
                v2 = System.IO.File.ReadAllText(before[4] + "/cgroup.controllers").Split(' ', '\n');
            }
            else if (after[0] == "cgroup")
            {
                foreach (string option in after[2].Split(','))
                {
                    v1.TryAdd(option, before[4]);
                }
            }
        }

        bool InV1(string controller) => !v2.Contains(controller) && v1.ContainsKey(controller);
        List<(string, string, string)> writes = plan.Cgroup!.V1Writes.Select(w => (w.MountPoint, w.File, w.Value)).ToList();
        var expected = new List<(string, string, string)>();
        if (InV1("cpu"))
        {
            expected.Add((v1["cpu"], "cpu.shares", "2048"));
            expected.Add((v1["cpu"], "cpu.cfs_period_us", "100000"));
            expected.Add((v1["cpu"], "cpu.cfs_quota_us", "50000"));
            Assert.Null(plan.Cgroup.Resources?.Cpu);
        }
        else
        {
            Assert.Equal(50000, plan.Cgroup.Resources!.Cpu!.QuotaMicroseconds);
        }

        if (InV1("cpuset"))
        {
            expected.Add((v1["cpuset"], "cpuset.cpus", "0"));
            expected.Add((v1["cpuset"], "cpuset.mems", "0"));
            Assert.Null(plan.Cgroup.Resources?.Cpuset);
        }

        if (InV1("pids"))
        {
            expected.Add((v1["pids"], "pids.max", "1000"));
            Assert.Null(plan.Cgroup.Resources?.Pids);
            Assert.DoesNotContain(plan.Cgroup.Controllers, c => c.Controller == "pids");
        }
        else
        {
            Assert.Equal(1000, plan.Cgroup.Resources!.Pids!.Max);
        }

        Assert.Equal(expected, writes);
    }

    /// <summary>`runc spec`'s config lists ambient capabilities and no inheritable set: the kernel cannot raise those
    /// (PR_CAP_AMBIENT_RAISE needs permitted and inheritable), so they are left out with a warning, as runc warns.</summary>
    [Fact]
    public void AmbientCapabilitiesThatCannotBeRaisedAreLeftOutWithAWarning()
    {
        OciContainerPlan plan = Map(s => s.Process!.Capabilities = new OciCapabilities
        {
            Bounding = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Permitted = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Effective = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
            Inheritable = ["CAP_KILL"],
            Ambient = ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
        });
        Assert.Equal([Capability.Kill], plan.StartInfo.AmbientCapabilities);
        OciValidationError w = Assert.Single(plan.Warnings, e => e.Path == "process.capabilities.ambient");
        Assert.Contains("CAP_NET_BIND_SERVICE", w.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Unsupported, e => e.Path.StartsWith("process.capabilities", System.StringComparison.Ordinal));
    }

    [Fact]
    public void EachCapabilitySetIsMappedOnItsOwn()
    {
        OciContainerPlan plan = Map(s => s.Process!.Capabilities = new OciCapabilities
        {
            Bounding = ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"],
            Permitted = ["CAP_KILL", "CAP_CHOWN"],
            Effective = ["CAP_KILL"],
            Inheritable = ["CAP_CHOWN"],
            Ambient = [],
        });
        IsolatedProcessStartInfo info = plan.StartInfo;
        Assert.Equal([Capability.Chown, Capability.Kill, Capability.NetRaw], info.KeepCapabilities!.Order());
        Assert.Equal([Capability.Chown, Capability.Kill], info.PermittedCapabilities!.Order());
        Assert.Equal([Capability.Kill], info.EffectiveCapabilities);
        Assert.Equal([Capability.Chown], info.InheritableCapabilities);
        Assert.Empty(info.AmbientCapabilities!);
        Assert.DoesNotContain(plan.Unsupported, e => e.Path.StartsWith("process.capabilities", System.StringComparison.Ordinal));
    }

    [Fact]
    public void UmaskTerminalOomScoreAndSysctlsGoToTheChild()
    {
        OciContainerPlan plan = Map(s =>
        {
            s.Process!.User!.Umask = 0x12; // 022
            s.Process.Terminal = true;
            s.Process.ConsoleSize = new OciConsoleSize { Height = 24, Width = 80 };
            s.Process.OomScoreAdj = 100;
            s.Linux!.Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1", ["kernel/msgmax"] = "4096" };
        });
        IsolatedProcessStartInfo info = plan.StartInfo;
        Assert.Equal(0x12u, info.Umask);
        Assert.True(info.Terminal);
        Assert.Equal(((ushort)24, (ushort)80), info.TerminalSize);
        Assert.Equal(100, info.OomScoreAdjustment);
        Assert.Null(plan.OomScoreAdj); // written by the child, not applied again from outside
        Assert.Equal("1", info.Sysctls["net.ipv4.ip_forward"]);
        Assert.Equal("4096", info.Sysctls["kernel.msgmax"]); // the slash form normalised
        Assert.Empty(plan.Sysctls);
        Assert.Empty(plan.Unsupported);
    }

    [Theory]
    [InlineData("shared", MountPropagation.Shared)]
    [InlineData("rshared", MountPropagation.Shared)]
    [InlineData("unbindable", MountPropagation.Unbindable)]
    [InlineData("private", MountPropagation.Private)]
    [InlineData("rslave", MountPropagation.Slave)]
    public void RootfsPropagation(string value, MountPropagation expected)
    {
        OciContainerPlan plan = Map(s => s.Linux!.RootfsPropagation = value);
        Assert.Equal(expected, plan.StartInfo.RootPropagation);
        Assert.DoesNotContain(plan.Unsupported, e => e.Path == "linux.rootfsPropagation");
    }

    [Fact]
    public void MountPropagationOptionsAreSetOnTheMount()
    {
        OciContainerPlan plan = Map(s =>
        {
            s.Mounts!.Add(new OciMount { Destination = "/tmp/a", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "private"] });
            s.Mounts.Add(new OciMount { Destination = "/tmp/b", Type = "bind", Source = "/tmp", Options = ["rbind", "rshared"] });
            s.Mounts.Add(new OciMount { Destination = "/tmp/c", Type = "bind", Source = "/tmp", Options = ["bind", "mode=755"] });
        });
        IsolatedMount a = plan.StartInfo.Mounts.Single(m => m.Target == "/tmp/a");
        IsolatedMount b = plan.StartInfo.Mounts.Single(m => m.Target == "/tmp/b");
        IsolatedMount c = plan.StartInfo.Mounts.Single(m => m.Target == "/tmp/c");
        Assert.Equal(MountPropagation.Private, a.Propagation);
        Assert.Equal(MountPropagation.Shared, b.Propagation);
        Assert.True(b.Recursive);
        Assert.Null(c.Propagation);
        Assert.Empty(plan.Unsupported);
        // File system data on a bind is ignored by the kernel: validation warns, as runc accepts it.
        OciSpec spec = OciDefaultSpec.Create();
        spec.Mounts!.Add(new OciMount { Destination = "/tmp/c", Type = "bind", Source = "/tmp", Options = ["bind", "mode=755"] });
        OciValidationResult result = OciBundle.FromSpec("/tmp/lxi-oci-tests-bundle", spec).Validate(checkHost: false);
        Assert.DoesNotContain(result.Errors, e => e.Path.StartsWith("mounts[", System.StringComparison.Ordinal));
        Assert.Contains(result.Warnings, e => e.Message.Contains("mode=755", System.StringComparison.Ordinal));
    }

    [Fact]
    public void CgroupMountIsLeftToTheRuntime()
    {
        OciContainerPlan plan = Map(_ => { });
        OciMount cgroup = Assert.Single(plan.CgroupMounts);
        Assert.Equal("/sys/fs/cgroup", cgroup.Destination);
        Assert.DoesNotContain(plan.StartInfo.Mounts, m => m.Target == "/sys/fs/cgroup");
        Assert.DoesNotContain(plan.Unsupported, e => e.Message.Contains("cgroup", System.StringComparison.Ordinal) && e.Path.StartsWith("mounts", System.StringComparison.Ordinal));
    }

    [Fact]
    public void DeviceRulesLeaveOutTheDenyAllAndAddTheDefaultsAndTheConfigsNodes()
    {
        OciContainerPlan plan = Map(s =>
        {
            s.Linux!.Resources = new OciResources
            {
                Devices =
                [
                    new OciDeviceCgroup { Allow = true, Type = "b", Major = 8, Minor = 0, Access = "r" },
                    new OciDeviceCgroup { Allow = false, Access = "rwm" },
                    new OciDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rwm" },
                ],
            };
            s.Linux.Devices = [new OciDevice { Path = "/dev/fuse2", Type = "c", Major = 10, Minor = 230 }];
        });
        if (plan.Cgroup is null)
        {
            return; // no cgroup v2 hierarchy here: there is no device program to map to
        }

        IList<DeviceRule> rules = plan.StartInfo.DeviceRules!;
        // The allow of 8:0 comes before a deny-all, which decides for it: both are gone.
        Assert.Equal(DeviceRule.AllowCharacter(10, 229), rules[0]);
        Assert.Equal(DeviceRules.ContainerDefaults, rules.Skip(1).Take(DeviceRules.ContainerDefaults.Count));
        Assert.Equal(DeviceRule.AllowCharacter(10, 230), rules[^1]);
        Assert.DoesNotContain(rules, r => r.Type == DeviceType.Block);
        Assert.DoesNotContain(plan.Unsupported, e => e.Path.StartsWith("linux.devices", System.StringComparison.Ordinal));
    }

    [Fact]
    public void SeccompIsCompiledFromTheProfile()
    {
        OciContainerPlan plan = Map(s => s.Linux!.Seccomp = new OciSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new OciSeccompSyscall { Names = ["mkdirat"], Action = "SCMP_ACT_ERRNO" }],
        });
        Assert.NotNull(plan.StartInfo.Seccomp);
        Assert.Empty(plan.Unsupported);

        OciContainerPlan bad = Map(s => s.Linux!.Seccomp = new OciSeccomp { DefaultAction = "SCMP_ACT_NONSENSE" });
        Assert.Contains(bad.Unsupported, e => e.Path == "linux.seccomp");
        Assert.Null(bad.StartInfo.Seccomp);
    }

    [Fact]
    public void ExecJoinsEveryNamespaceOfTheInitIncludingPid()
    {
        OciSpec config = OciDefaultSpec.Create();
        var process = new OciProcess { Args = ["sh"], Cwd = "/", Env = ["PATH=/bin"], User = new OciUser { Uid = 0, Gid = 0 } };
        OciExecPlan plan = OciBundleMapper.MapExec(process, config, 4242, cgroupPath: null, Host);
        Assert.Empty(plan.Unsupported);
        NamespaceJoin pid = Assert.Single(plan.StartInfo.JoinNamespaces, j => j.Kind == NamespaceFlags.Pid);
        Assert.Equal("/proc/4242/ns/pid", pid.Path);
        Assert.Contains(plan.StartInfo.JoinNamespaces, j => j.Kind == NamespaceFlags.Mount && j.Path == "/proc/4242/ns/mnt");
        Assert.Equal(NamespaceFlags.None, plan.StartInfo.NewNamespaces);
    }
}

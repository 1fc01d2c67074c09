using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Operations;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

/// <summary>
/// Values the kernel reads as something else ("leave unchanged", "the whole host", "reset"): each is refused
/// before any system call that changes anything, with the rule named, and nothing is left behind; or, where the
/// value is meaningful, its meaning is the documented one.
/// </summary>
[Collection(FaultCollection.Name)]
public class SilentMeaningTests
{
    [Theory]
    [InlineData("UserId")]
    [InlineData("GroupId")]
    [InlineData("SupplementaryGroups")]
    public void IdMinusOneIsRefused(string which)
    {
        Privileged.Require();
        IsolatedProcessStartInfo info = Spawn.Sh("id");
        info.UserId = 1000;
        switch (which)
        {
            case "UserId":
                info.UserId = uint.MaxValue;
                break;
            case "GroupId":
                info.GroupId = uint.MaxValue;
                break;
            default:
                info.SupplementaryGroups.Add(uint.MaxValue);
                break;
        }

        ProcessState before = ProcessState.Capture();
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Equal(which, e.ParamName);
        Assert.Contains("4294967295", e.Message, StringComparison.Ordinal);
        ProcessState.Capture().AssertUnchangedSince(before);
    }

    [Fact]
    public async Task IdJustBelowMinusOneRunsAsThatId()
    {
        Privileged.Require();
        IsolatedProcessStartInfo info = Spawn.Sh("id -u; id -g");
        info.UserId = uint.MaxValue - 1;
        info.GroupId = uint.MaxValue - 1;
        Assert.Equal("4294967294\n4294967294\n", await Spawn.OutputAsync(info));
    }

    public static TheoryData<string, RootChange> HostRoots() => new()
    {
        { "/", RootChange.Chroot },
        { "/", RootChange.PivotRoot },
        { "/.", RootChange.Chroot },
        { "//", RootChange.PivotRoot },
        { "symlink", RootChange.Chroot },
        { "symlink", RootChange.PivotRoot },
        { "bind", RootChange.Chroot },
        { "bind", RootChange.PivotRoot },
    };

    [Theory]
    [MemberData(nameof(HostRoots))]
    public void HostRootAsTheRootDirectoryIsRefused(string root, RootChange change)
    {
        Privileged.Require();
        string scratch = Directory.CreateTempSubdirectory($"lxi-hostroot-{Environment.ProcessId}-").FullName;
        bool mounted = false;
        try
        {
            string path = root;
            if (root == "symlink")
            {
                path = Path.Combine(scratch, "to-root");
                File.CreateSymbolicLink(path, "/");
            }
            else if (root == "bind")
            {
                // A (non-recursive) bind of "/" in a temporary directory of the test's, unmounted below.
                path = Path.Combine(scratch, "bind");
                Directory.CreateDirectory(path);
                NsTool.Run("mount", "--bind", "/", path);
                mounted = true;
            }

            var info = new IsolatedProcessStartInfo("/bin/true")
            {
                RootDirectory = path,
                RootChange = change,
                NewNamespaces = change == RootChange.PivotRoot ? NamespaceFlags.Mount : NamespaceFlags.None,
            };
            ProcessState before = ProcessState.Capture();
            var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
            Assert.Equal("RootDirectory", e.ParamName);
            Assert.Contains("host's root", e.Message, StringComparison.Ordinal);
            ProcessState.Capture().AssertUnchangedSince(before);
        }
        finally
        {
            if (mounted)
            {
                NsTool.Run("umount", Path.Combine(scratch, "bind"));
            }

            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task UnlimitedResourceLimitIsNoLimitAndOtherValuesAreNumbers()
    {
        Privileged.Require();
        IsolatedProcessStartInfo info = Spawn.Sh("ulimit -c; ulimit -Hc; ulimit -l");
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.Core, ResourceLimit.Unlimited, ResourceLimit.Unlimited));
        // 0 is a number, not "default": no locked memory at all.
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.LockedMemory, 0, 0));
        Assert.Equal("unlimited\nunlimited\n0\n", await Spawn.OutputAsync(info));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void EmptyRawCgroupValueIsRefused(string value)
    {
        var resources = new CgroupResources { Raw = new Dictionary<string, string> { ["cpuset.cpus"] = value } };
        var e = Assert.Throws<ArgumentException>(resources.Validate);
        Assert.Equal("Raw", e.ParamName);
        Assert.Contains("empty value for cpuset.cpus", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyCpusetListIsRefused()
    {
        var resources = new CgroupResources { Cpuset = new CpusetLimits { Cpus = string.Empty } };
        Assert.Throws<ArgumentException>(resources.Validate);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void NegativeLimitIsRefusedAndOnlyUnlimitedMeansMax(long value)
    {
        var resources = new CgroupResources { Memory = new MemoryLimits { Max = value } };
        var e = Assert.Throws<ArgumentOutOfRangeException>(resources.Validate);
        Assert.Contains("Unlimited", e.Message, StringComparison.Ordinal);
        Assert.Equal("max", CgroupParser.FormatLimit(CgroupResources.Unlimited));
        Assert.Equal("9223372036854775806", CgroupParser.FormatLimit(CgroupResources.Unlimited - 1));
        Assert.Equal("0", CgroupParser.FormatLimit(0));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void EmptySysctlValueIsRefused(string value)
    {
        Privileged.Require();
        string name = NsTool.UniqueName("sysctl");
        using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
        try
        {
            string before = ns.ReadSysctl("net.ipv4.ip_forward");
            var e = Assert.Throws<ArgumentException>(() => ns.WriteSysctl("net.ipv4.ip_forward", value));
            Assert.Equal("value", e.ParamName);
            Assert.Equal(before, ns.ReadSysctl("net.ipv4.ip_forward"));
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }
}

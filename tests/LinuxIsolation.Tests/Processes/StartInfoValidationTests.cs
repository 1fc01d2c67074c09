using System;
using System.IO;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

/// <summary>Bad input is refused before any system call (no root needed, except for the call made inside a namespace).</summary>
public class StartInfoValidationTests
{
    [Fact]
    public void TheValidatedEnumsAreContiguousUpToTheMembersTheRangeChecksName()
    {
        // Validation checks these enums by range (Enum.IsDefined costs a fresh process its reflection tables): a member
        // added past the end must move the bound in IsolatedProcessStartInfo.Validation.cs / IsolatedMount.cs.
        AssertContiguous(0, (int)ResourceLimitKind.RealTimeTimeout, Enum.GetValues<ResourceLimitKind>());
        AssertContiguous(0, (int)Capability.CheckpointRestore, Enum.GetValues<Capability>());
        AssertContiguous(0, (int)RootChange.Chroot, Enum.GetValues<RootChange>());
        AssertContiguous((int)MountKind.Bind, (int)MountKind.Dev, Enum.GetValues<MountKind>());

        static void AssertContiguous<T>(int first, int last, T[] values) where T : struct, Enum
        {
            Assert.Equal(last - first + 1, values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                Assert.Equal(first + i, Convert.ToInt32(values[i], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void UnknownEnumValuesAreRefused()
    {
        var limit = new IsolatedProcessStartInfo("/bin/true") { ResourceLimits = { new ResourceLimit((ResourceLimitKind)16, 1, 1) } };
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(limit));
        var root = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.Mount, RootDirectory = Path.GetTempPath(), RootChange = (RootChange)2 };
        Assert.Equal("RootChange", Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(root)).ParamName);
        var mount = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.Mount };
        mount.Mounts.Add(new IsolatedMount { Kind = (MountKind)8, Target = "/x" });
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(mount));
        mount.Mounts[0] = new IsolatedMount { Kind = 0, Target = "/x" };
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(mount));
    }

    [Fact]
    public void RelativeRootIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/sh") { NewNamespaces = NamespaceFlags.Mount, RootDirectory = "rootfs" };
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("absolute", e.Message, StringComparison.Ordinal);
        Assert.Equal("RootDirectory", e.ParamName);
    }

    [Fact]
    public void RootThatIsAFileIsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            var info = new IsolatedProcessStartInfo("/bin/sh") { NewNamespaces = NamespaceFlags.Mount, RootDirectory = file };
            var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
            Assert.Contains("not a directory", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ProgramMissingInsideTheRootIsRefused()
    {
        using var root = new TestRootFs();
        var info = new IsolatedProcessStartInfo("/bin/bash") { NewNamespaces = NamespaceFlags.Mount, RootDirectory = root.Path };
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("does not exist inside the root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PivotRootWithoutMountNamespaceIsRefused()
    {
        using var root = new TestRootFs();
        var info = new IsolatedProcessStartInfo("/bin/sh") { RootDirectory = root.Path };
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("new mount namespace", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0u, 1000u, 10u, 5u, 2000u, 10u, "inside")]
    [InlineData(0u, 1000u, 10u, 100u, 1005u, 10u, "outside")]
    public void OverlappingIdMapsAreRefused(uint c1, uint h1, uint n1, uint c2, uint h2, uint n2, string where)
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.User };
        info.UserIdMappings.Add(new IdMapping(c1, h1, n1));
        info.UserIdMappings.Add(new IdMapping(c2, h2, n2));
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("overlap " + where, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyIdRangeIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.User };
        info.GroupIdMappings.Add(new IdMapping(0, 0, 0));
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
    }

    [Fact]
    public void UnknownCapabilityNameIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Capabilities.Parse("CAP_FLY"));
        Assert.Contains("CAP_FLY", e.Message, StringComparison.Ordinal);
        Assert.Equal(Capability.NetAdmin, Capabilities.Parse("CAP_NET_ADMIN"));
        Assert.Equal(Capability.SysRawIO, Capabilities.Parse("sys_rawio"));
        Assert.Equal(Capability.SetFCap, Capabilities.Parse("CAP_SETFCAP"));
        Assert.Equal(Capability.CheckpointRestore, Capabilities.Parse("CAP_CHECKPOINT_RESTORE"));
        foreach (Capability c in Enum.GetValues<Capability>())
        {
            Assert.Equal(c, Capabilities.Parse(Capabilities.GetName(c)));
        }
    }

    [Fact]
    public void UnknownCapabilityNumberIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { KeepCapabilities = [(Capability)63] };
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
    }

    [Fact]
    public void MountsWithoutMountNamespaceAreRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true");
        info.Mounts.Add(IsolatedMount.Tmpfs("/mnt"));
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("mount namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RelativeMountTargetAndDotDotAreRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.Mount };
        info.Mounts.Add(IsolatedMount.Tmpfs("mnt"));
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        info.Mounts[0] = IsolatedMount.Tmpfs("/mnt/../etc");
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("..", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostNameWithoutUtsNamespaceIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { HostName = "c4" };
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("UTS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreatingAndJoiningTheSameKindIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = NamespaceFlags.Network };
        info.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Network, "/proc/self/ns/net"));
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("both created and joined", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kernel.panic", NamespaceFlags.Ipc | NamespaceFlags.Uts | NamespaceFlags.Network, "not a namespaced sysctl")]
    [InlineData("vm.overcommit_memory", NamespaceFlags.Ipc | NamespaceFlags.Uts | NamespaceFlags.Network, "not a namespaced sysctl")]
    [InlineData("kernel.msgmax", NamespaceFlags.Uts | NamespaceFlags.Network, "Ipc namespace")]
    [InlineData("fs.mqueue.msg_max", NamespaceFlags.Network, "Ipc namespace")]
    [InlineData("kernel.hostname", NamespaceFlags.Ipc, "Uts namespace")]
    [InlineData("net.ipv4.ip_forward", NamespaceFlags.Ipc, "Network namespace")]
    [InlineData("net.ipv4..ip_forward", NamespaceFlags.Network, "empty")]
    public void SysctlThatWouldChangeTheHostIsRefused(string key, NamespaceFlags namespaces, string rule)
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NewNamespaces = namespaces };
        info.Sysctls[key] = "1";
        var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InheritedDescriptorBelowThreeIsRefused()
    {
        using var handle = File.OpenHandle("/dev/null");
        var info = new IsolatedProcessStartInfo("/bin/true");
        info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(handle, 2));
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
    }

    [Fact]
    public void SoftLimitAboveHardIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/true");
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.OpenFiles, 100, 10));
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
    }

    [Fact]
    public void NulInArgumentIsRefused()
    {
        var info = new IsolatedProcessStartInfo("/bin/echo", "a\0b");
        Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
    }

    [Fact]
    public void StartInsideANamespaceRunIsRefused()
    {
        Privileged.Require();
        using var ns = LinuxIsolation.Namespaces.NetworkNamespace.CreateAnonymous();
        var info = new IsolatedProcessStartInfo("/bin/true") { ParentDeathSignal = 9 };
        InvalidOperationException? refused = ns.Run(() =>
        {
            try
            {
                IsolatedProcess.Start(info);
                return null;
            }
            catch (InvalidOperationException e)
            {
                return e;
            }
        });
        Assert.NotNull(refused);
        Assert.Contains("JoinNamespaces", refused.Message, StringComparison.Ordinal);
    }
}

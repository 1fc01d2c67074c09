using System;
using System.Text;
using LinuxIsolation.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>Bad names and keys are refused before any system call (these tests need no privilege).</summary>
public class NamespaceNameTests
{
    public static TheoryData<string> BadNames => new()
    {
        "",
        ".",
        "..",
        "../x",
        "a/b",
        "/abs",
        "x/",
        "a\0b",
        "new\nline",
        new string('n', 256),
        new string('é', 128), // 256 UTF-8 bytes
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public void CreateNamedRefusesNamesThatCouldLeaveRunNetns(string name)
    {
        Assert.Throws<ArgumentException>(() => NetworkNamespace.CreateNamed(name));
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public void OpenDeleteAndExistsRefuseBadNames(string name)
    {
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Open(name));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Delete(name));
        Assert.Throws<ArgumentException>(() => NetworkNamespace.Exists(name));
    }

    [Fact]
    public void NullNameIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => NetworkNamespace.CreateNamed(null!));
    }

    [Fact]
    public void LongestValidNameIsAccepted()
    {
        NetworkNamespaceName.Validate(new string('n', 255));
        Assert.Equal(255, Encoding.UTF8.GetByteCount(new string('n', 255)));
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net.ipv4.conf.veth0.forwarding", "/proc/sys/net/ipv4/conf/veth0/forwarding")]
    [InlineData("net.ipv6.conf.all.disable_ipv6", "/proc/sys/net/ipv6/conf/all/disable_ipv6")]
    [InlineData("net/ipv4/conf/eth0.100/forwarding", "/proc/sys/net/ipv4/conf/eth0.100/forwarding")]
    public void SysctlKeysMapToProcSysNet(string key, string path)
    {
        Assert.Equal(path, SysctlKey.ToPath(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("net")]
    [InlineData("kernel.hostname")]
    [InlineData("vm.swappiness")]
    [InlineData("net..ipv4")]
    [InlineData("net.ipv4.")]
    [InlineData(".net.ipv4")]
    [InlineData("net/ipv4/../../kernel/hostname")]
    [InlineData("net/./ipv4/ip_forward")]
    [InlineData("net/ipv4//ip_forward")]
    [InlineData("/net/ipv4/ip_forward")]
    [InlineData("net.ipv4.ip forward")]
    [InlineData("net.ipv4.ip_forward\0")]
    public void BadSysctlKeysAreRefused(string key)
    {
        Assert.Throws<ArgumentException>(() => SysctlKey.ToPath(key));
    }
}

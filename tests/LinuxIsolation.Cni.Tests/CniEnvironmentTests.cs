using System.Collections.Generic;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

public sealed class CniEnvironmentTests
{
    private static Dictionary<string, string> Add() => new()
    {
        ["CNI_COMMAND"] = "ADD",
        ["CNI_CONTAINERID"] = "c1",
        ["CNI_NETNS"] = "/run/netns/c1",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin:/usr/lib/cni",
    };

    private static CniEnvironment Read(Dictionary<string, string> env) => CniEnvironment.Read(k => env.TryGetValue(k, out string? v) ? v : null);

    [Fact]
    public void ReadsEveryVariable()
    {
        var env = Add();
        env["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAME=web-0";
        CniEnvironment e = Read(env);
        Assert.Equal(CniCommand.Add, e.Command);
        Assert.Equal("c1", e.ContainerId);
        Assert.Equal("/run/netns/c1", e.NetNs);
        Assert.Equal("eth0", e.IfName);
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], e.Path);
        Assert.Equal([new("IgnoreUnknown", "1"), new("K8S_POD_NAME", "web-0")], e.Args);
    }

    [Fact]
    public void VersionNeedsOnlyTheCommand()
    {
        CniEnvironment e = Read(new() { ["CNI_COMMAND"] = "VERSION" });
        Assert.Equal(CniCommand.Version, e.Command);
        Assert.Null(e.ContainerId);
    }

    [Fact]
    public void DelWithoutNetNsIsAccepted()
    {
        var env = Add();
        env["CNI_COMMAND"] = "DEL";
        env.Remove("CNI_NETNS");
        Assert.Null(Read(env).NetNs);
    }

    [Theory]
    [InlineData("CNI_COMMAND", null, "CNI_COMMAND")]
    [InlineData("CNI_COMMAND", "ATTACH", "CNI_COMMAND")]
    [InlineData("CNI_CONTAINERID", null, "CNI_CONTAINERID")]
    [InlineData("CNI_CONTAINERID", "../../etc", "CNI_CONTAINERID")]
    [InlineData("CNI_CONTAINERID", "a/b", "CNI_CONTAINERID")]
    [InlineData("CNI_CONTAINERID", "-x", "CNI_CONTAINERID")]
    [InlineData("CNI_CONTAINERID", ".hidden", "CNI_CONTAINERID")]
    [InlineData("CNI_IFNAME", null, "CNI_IFNAME")]
    [InlineData("CNI_IFNAME", "averyveryverylong", "CNI_IFNAME")]
    [InlineData("CNI_IFNAME", "..", "CNI_IFNAME")]
    [InlineData("CNI_IFNAME", "eth/0", "CNI_IFNAME")]
    [InlineData("CNI_IFNAME", "eth 0", "CNI_IFNAME")]
    [InlineData("CNI_IFNAME", "eth:0", "CNI_IFNAME")]
    [InlineData("CNI_NETNS", null, "CNI_NETNS")]
    [InlineData("CNI_NETNS", "run/netns/x", "CNI_NETNS")]
    [InlineData("CNI_PATH", null, "CNI_PATH")]
    [InlineData("CNI_ARGS", "novalue", "CNI_ARGS")]
    public void BadVariableIsCode4NamingIt(string name, string? value, string named)
    {
        var env = Add();
        if (value is null)
        {
            env.Remove(name);
        }
        else
        {
            env[name] = value;
        }

        CniException e = Assert.Throws<CniException>(() => Read(env));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void ContainerIdLongerThanTheLimitIsRefused()
    {
        var env = Add();
        env["CNI_CONTAINERID"] = new string('a', CniEnvironment.MaxContainerIdLength);
        Assert.Equal(CniEnvironment.MaxContainerIdLength, Read(env).ContainerId!.Length);
        env["CNI_CONTAINERID"] = new string('a', CniEnvironment.MaxContainerIdLength + 1);
        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => Read(env)).Code);
    }

    [Fact]
    public void InterfaceNameOf15BytesIsAcceptedAnd16IsNot()
    {
        CniEnvironment.ValidateInterfaceName("abcdefghijklmno");
        Assert.Throws<CniException>(() => CniEnvironment.ValidateInterfaceName("abcdefghijklmnop"));
        // Two bytes a character in UTF-8: 8 of them are 16 bytes.
        Assert.Throws<CniException>(() => CniEnvironment.ValidateInterfaceName("éééééééé"));
    }
}

using System.Text;
using System.Text.Json;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

public sealed class CniNetworkConfigListTests
{
    private const string List = """
        {"cniVersion":"1.0.0","name":"podnet","plugins":[
          {"type":"lxi-cni","bridge":"cni0","ipam":{"type":"host-local","subnet":"10.88.0.0/16"}},
          {"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false}}]}
        """;

    [Fact]
    public void BuildsEachPluginsStdinAsLibcniDoes()
    {
        CniNetworkConfigList list = CniNetworkConfigList.Parse(List);
        Assert.Equal(2, list.Plugins!.Count);
        Assert.Equal(
            """{"cniVersion":"1.0.0","name":"podnet","type":"lxi-cni","bridge":"cni0","ipam":{"type":"host-local","subnet":"10.88.0.0/16"}}""",
            Encoding.UTF8.GetString(list.BuildPluginConfig(0, runtimeConfig: new CniRuntimeConfig { PortMappings = [new CniPortMapping { HostPort = 8080, ContainerPort = 80 }] })));

        var prev = new CniResult { Ips = [new CniIpConfig { Address = CniAddress.Parse("10.88.0.2/16") }] };
        var rc = new CniRuntimeConfig
        {
            PortMappings = [new CniPortMapping { HostPort = 8080, ContainerPort = 80, Protocol = "tcp" }],
            Bandwidth = new CniBandwidth { IngressRate = 1 },
        };
        byte[] second = list.BuildPluginConfig(1, prev, rc);
        Assert.Equal(
            """{"cniVersion":"1.0.0","name":"podnet","type":"portmap","capabilities":{"portMappings":true,"bandwidth":false},"runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}]},"prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.88.0.2/16"}]}}""",
            Encoding.UTF8.GetString(second));
        CniNetworkConfig parsed = CniNetworkConfig.Parse(second);
        Assert.Equal("10.88.0.2/16", parsed.PrevResult!.Ips![0].Address.ToString());
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n"}""", CniErrorCode.InvalidNetworkConfig, "plugins")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"x":1}]}""", CniErrorCode.InvalidNetworkConfig, "plugins[0]")]
    [InlineData("""{"name":"n","plugins":[{"type":"a"}]}""", CniErrorCode.InvalidNetworkConfig, "cniVersion")]
    [InlineData("""{"cniVersion":"1.0.0","name":"a b","plugins":[{"type":"a"}]}""", CniErrorCode.InvalidNetworkConfig, "name")]
    [InlineData("""{"cniVersion":"1.0.0",""", CniErrorCode.DecodeFailure, "JSON")]
    public void BadListIsTheSpecsCode(string json, int code, string named)
    {
        CniException e = Assert.Throws<CniException>(() => CniNetworkConfigList.Parse(json));
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void VersionsCompareNumerically()
    {
        Assert.True(CniVersions.Compare("0.10.0", "0.4.0") > 0);
        Assert.True(CniVersions.IsLegacy("0.4.0"));
        Assert.False(CniVersions.IsLegacy("1.0.0"));
        Assert.Throws<System.ArgumentException>(() => CniVersions.Compare("1.0", "1.0.0"));
        _ = JsonDocument.Parse(List);
    }
}

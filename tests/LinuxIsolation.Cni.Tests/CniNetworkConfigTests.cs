using System.Text;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

public sealed class CniNetworkConfigTests
{
    private const string Bridge = """
        {"cniVersion":"1.0.0","name":"mynet","type":"bridge","bridge":"cni0","isGateway":true,
         "capabilities":{"portMappings":true},
         "ipam":{"type":"host-local","subnet":"10.22.0.0/16"},
         "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"}],"bandwidth":{"ingressRate":1000,"egressBurst":20}}}
        """;

    [Fact]
    public void ParsesCommonFieldsAndKeepsThePluginsOwn()
    {
        CniNetworkConfig c = CniNetworkConfig.Parse(Encoding.UTF8.GetBytes(Bridge));
        Assert.Equal("1.0.0", c.CniVersion);
        Assert.Equal("mynet", c.Name);
        Assert.Equal("bridge", c.Type);
        Assert.True(c.Capabilities!["portMappings"]);
        Assert.Equal("host-local", c.Ipam!.Type);
        Assert.Equal("10.22.0.0/16", c.Ipam.Raw.GetProperty("subnet").GetString());
        Assert.Equal("cni0", c.Raw.GetProperty("bridge").GetString());
        CniPortMapping pm = Assert.Single(c.RuntimeConfig!.PortMappings!);
        Assert.Equal((8080, 80, "tcp"), (pm.HostPort, pm.ContainerPort, pm.Protocol));
        Assert.Equal(1000, c.RuntimeConfig.Bandwidth!.IngressRate);
        Assert.Equal(20, c.RuntimeConfig.Bandwidth.EgressBurst);
        Assert.Null(c.PrevResult);
    }

    [Fact]
    public void ReadsA040PrevResult()
    {
        CniNetworkConfig c = CniNetworkConfig.Parse("""
            {"cniVersion":"0.4.0","name":"n","type":"t","prevResult":{"cniVersion":"0.4.0",
             "interfaces":[{"name":"eth0","sandbox":"/run/netns/x"}],
             "ips":[{"version":"4","interface":0,"address":"10.1.0.5/24","gateway":"10.1.0.1"}]}}
            """);
        CniIpConfig ip = Assert.Single(c.PrevResult!.Ips!);
        Assert.Equal("10.1.0.5/24", ip.Address.ToString());
        Assert.Equal("10.1.0.1", ip.Gateway!.ToString());
        Assert.Equal(0, ip.Interface);
    }

    [Theory]
    [InlineData("{", CniErrorCode.DecodeFailure, "not valid JSON")]
    [InlineData("[]", CniErrorCode.DecodeFailure, "not a JSON object")]
    [InlineData("""{"cniVersion":"1.0.0","name":7,"type":"t"}""", CniErrorCode.DecodeFailure, "name")]
    [InlineData("""{"name":"n","type":"t"}""", CniErrorCode.InvalidNetworkConfig, "cniVersion")]
    [InlineData("""{"cniVersion":"9.9.9","name":"n","type":"t"}""", CniErrorCode.IncompatibleVersion, "9.9.9")]
    [InlineData("""{"cniVersion":"1.0.0","type":"t"}""", CniErrorCode.InvalidNetworkConfig, "\"name\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"../x","type":"t"}""", CniErrorCode.InvalidNetworkConfig, "\"name\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n"}""", CniErrorCode.InvalidNetworkConfig, "\"type\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"t","ipam":{}}""", CniErrorCode.InvalidNetworkConfig, "\"ipam\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.1"}]}}""", CniErrorCode.DecodeFailure, "address")]
    public void BadConfigurationIsTheSpecsCodeNamingTheField(string json, int code, string named)
    {
        CniException e = Assert.Throws<CniException>(() => CniNetworkConfig.Parse(json));
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Message);
    }
}

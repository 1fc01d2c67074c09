using System.Net;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

public sealed class CniResultTests
{
    private static readonly CniResult Result = new()
    {
        Interfaces =
        [
            new CniInterface { Name = "cni0", Mac = "0a:58:0a:16:00:01", Mtu = 1500 },
            new CniInterface { Name = "eth0", Mac = "0a:58:0a:16:00:05", Sandbox = "/run/netns/c1" },
        ],
        Ips = [new CniIpConfig { Address = CniAddress.Parse("10.22.0.5/16"), Gateway = IPAddress.Parse("10.22.0.1"), Interface = 1 }],
        Routes = [new CniRoute { Destination = new IPNetwork(IPAddress.Any, 0), Gateway = IPAddress.Parse("10.22.0.1"), Priority = 100 }],
        Dns = new CniDns { Nameservers = ["10.22.0.1"] },
    };

    [Fact]
    public void Writes110WithEveryField() => Assert.Equal(
        """{"cniVersion":"1.1.0","interfaces":[{"name":"cni0","mac":"0a:58:0a:16:00:01","mtu":1500},{"name":"eth0","mac":"0a:58:0a:16:00:05","sandbox":"/run/netns/c1"}],"ips":[{"address":"10.22.0.5/16","gateway":"10.22.0.1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.22.0.1","priority":100}],"dns":{"nameservers":["10.22.0.1"]}}""",
        Result.ToJson("1.1.0"));

    [Fact]
    public void Writes100WithoutThe11Fields() => Assert.Equal(
        """{"cniVersion":"1.0.0","interfaces":[{"name":"cni0","mac":"0a:58:0a:16:00:01"},{"name":"eth0","mac":"0a:58:0a:16:00:05","sandbox":"/run/netns/c1"}],"ips":[{"address":"10.22.0.5/16","gateway":"10.22.0.1","interface":1}],"routes":[{"dst":"0.0.0.0/0","gw":"10.22.0.1"}],"dns":{"nameservers":["10.22.0.1"]}}""",
        Result.ToJson("1.0.0"));

    [Fact]
    public void Writes040WithTheVersionOfEachAddress() => Assert.Equal(
        """{"cniVersion":"0.4.0","interfaces":[{"name":"cni0","mac":"0a:58:0a:16:00:01"},{"name":"eth0","mac":"0a:58:0a:16:00:05","sandbox":"/run/netns/c1"}],"ips":[{"version":"4","interface":1,"address":"10.22.0.5/16","gateway":"10.22.0.1"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.22.0.1"}],"dns":{"nameservers":["10.22.0.1"]}}""",
        Result.ToJson("0.4.0"));

    [Fact]
    public void IPv6AddressIsVersion6In040()
    {
        var r = new CniResult { Ips = [new CniIpConfig { Address = CniAddress.Parse("fd00::5/64") }] };
        Assert.Equal("""{"cniVersion":"0.3.1","ips":[{"version":"6","address":"fd00::5/64"}]}""", r.ToJson("0.3.1"));
    }

    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    [InlineData("0.4.0")]
    public void RoundTripsThroughParse(string version)
    {
        CniResult back = CniResult.Parse(Result.ToJson(version));
        Assert.Equal(version, back.CniVersion);
        Assert.Equal(Result.Ips![0], back.Ips![0]);
        Assert.Equal(Result.ToJson(version), back.ToJson(version));
    }

    [Fact]
    public void UnsupportedVersionIsCode1()
    {
        Assert.Equal(CniErrorCode.IncompatibleVersion, Assert.Throws<CniException>(() => Result.ToJson("2.0.0")).Code);
        Assert.Equal(CniErrorCode.IncompatibleVersion, Assert.Throws<CniException>(() => CniResult.Parse("""{"cniVersion":"0.1.0"}""")).Code);
    }

    [Theory]
    [InlineData("10.22.0.5/16", true)]
    [InlineData("fd00::1/128", true)]
    [InlineData("10.22.0.5/33", false)]
    [InlineData("10.22.0.5", false)]
    [InlineData("/16", false)]
    [InlineData("10.22.0.5/-1", false)]
    [InlineData("fe80::1%2/64", false)]
    public void AddressParsing(string text, bool ok) => Assert.Equal(ok, CniAddress.TryParse(text, out _));

    [Fact]
    public void AddressNetworkClearsHostBits() => Assert.Equal("10.22.0.0/16", CniAddress.Parse("10.22.3.5/16").Network.ToString());

    [Fact]
    public void ErrorJson() => Assert.Equal(
        """{"cniVersion":"1.0.0","code":7,"msg":"no \u0022name\u0022"}""",
        new CniException(7, "no \"name\"").ToError("1.0.0").ToJson());
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

public sealed class CniPluginHostTests
{
    private sealed class Recorder : CniPlugin
    {
        public List<string> Calls { get; } = [];

        public Exception? Throw { get; init; }

        public IReadOnlyList<CniAttachment>? Valid { get; private set; }

        public override CniResult Add(CniRequest request)
        {
            Calls.Add($"ADD {request.ContainerId} {request.IfName} {request.Environment.NetNs}");
            return Throw is null
                ? new CniResult { Ips = [new CniIpConfig { Address = CniAddress.Parse("10.0.0.2/24") }] }
                : throw Throw;
        }

        public override void Delete(CniRequest request) => Calls.Add($"DEL {request.ContainerId}");

        public override void Check(CniRequest request) => Calls.Add($"CHECK {request.Config.PrevResult!.Ips![0].Address}");

        public override void Status(CniRequest request) => Calls.Add("STATUS");

        public override void GarbageCollect(CniRequest request, IReadOnlyList<CniAttachment> validAttachments)
        {
            Calls.Add("GC");
            Valid = validAttachments;
        }
    }

    private static (int Status, string Stdout) Run(CniPlugin plugin, string command, string stdin, Action<Dictionary<string, string>>? edit = null)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = "/run/netns/c1",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_PATH"] = "/usr/lib/cni",
        };
        edit?.Invoke(env);
        var stdout = new MemoryStream();
        int status = CniPluginHost.Run(plugin, k => env.TryGetValue(k, out string? v) ? v : null, new MemoryStream(Encoding.UTF8.GetBytes(stdin)), stdout);
        return (status, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private const string Conf = """{"cniVersion":"1.1.0","name":"n","type":"t"}""";

    [Fact]
    public void VersionListsTheSupportedVersions()
    {
        (int status, string output) = Run(new Recorder(), "VERSION", "");
        Assert.Equal(0, status);
        Assert.Equal("""{"cniVersion":"1.1.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}""", output);
    }

    [Fact]
    public void AddWritesTheResultInTheRequestsVersion()
    {
        var p = new Recorder();
        (int status, string output) = Run(p, "ADD", """{"cniVersion":"0.4.0","name":"n","type":"t"}""");
        Assert.Equal(0, status);
        Assert.Equal("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24"}]}""", output);
        Assert.Equal(["ADD c1 eth0 /run/netns/c1"], p.Calls);
    }

    [Fact]
    public void DelCheckStatusGcDispatch()
    {
        var p = new Recorder();
        Assert.Equal((0, ""), Run(p, "DEL", Conf, e => e.Remove("CNI_NETNS")));
        Assert.Equal((0, ""), Run(p, "CHECK", """{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}}"""));
        Assert.Equal((0, ""), Run(p, "STATUS", Conf, e => { e.Remove("CNI_CONTAINERID"); e.Remove("CNI_IFNAME"); e.Remove("CNI_NETNS"); }));
        Assert.Equal((0, ""), Run(p, "GC", """{"cniVersion":"1.1.0","name":"n","type":"t","cni.dev/valid-attachments":[{"containerID":"c2","ifname":"eth0"}]}"""));
        Assert.Equal(["DEL c1", "CHECK 10.0.0.2/24", "STATUS", "GC"], p.Calls);
        Assert.Equal("c2", Assert.Single(p.Valid!).ContainerId);
    }

    [Theory]
    [InlineData("CHECK", """{"cniVersion":"1.0.0","name":"n","type":"t"}""", CniErrorCode.InvalidNetworkConfig, "prevResult")]
    [InlineData("CHECK", """{"cniVersion":"0.3.1","name":"n","type":"t","prevResult":{"cniVersion":"0.3.1"}}""", CniErrorCode.IncompatibleVersion, "0.4.0")]
    [InlineData("GC", """{"cniVersion":"1.0.0","name":"n","type":"t"}""", CniErrorCode.IncompatibleVersion, "1.1.0")]
    [InlineData("STATUS", """{"cniVersion":"0.4.0","name":"n","type":"t"}""", CniErrorCode.IncompatibleVersion, "1.1.0")]
    [InlineData("ADD", "not json", CniErrorCode.DecodeFailure, "JSON")]
    [InlineData("ADD", """{"cniVersion":"3.0.0","name":"n","type":"t"}""", CniErrorCode.IncompatibleVersion, "3.0.0")]
    public void FailuresAreErrorJsonWithStatus1(string command, string stdin, int code, string named)
    {
        var p = new Recorder();
        (int status, string output) = Run(p, command, stdin);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(output);
        Assert.Equal(code, e.Code);
        Assert.Contains(named, e.Msg);
        Assert.Empty(p.Calls);
    }

    [Fact]
    public void BadEnvironmentNeverReachesThePlugin()
    {
        var p = new Recorder();
        (int status, string output) = Run(p, "ADD", Conf, e => e["CNI_CONTAINERID"] = "../../../etc/passwd");
        Assert.Equal(1, status);
        Assert.Equal(CniErrorCode.InvalidEnvironment, CniError.Parse(output).Code);
        Assert.Empty(p.Calls);
    }

    [Fact]
    public void PluginExceptionsKeepTheirCodeOrBecome999()
    {
        (_, string output) = Run(new Recorder { Throw = new CniException(11, "busy", "try later") }, "ADD", Conf);
        Assert.Equal("""{"cniVersion":"1.1.0","code":11,"msg":"busy","details":"try later"}""", output);
        (int status, output) = Run(new Recorder { Throw = new InvalidOperationException("boom") }, "ADD", Conf);
        Assert.Equal(1, status);
        CniError e = CniError.Parse(output);
        Assert.Equal((999, "boom"), (e.Code, e.Msg));
    }
}

using System;
using System.IO;
using System.Text;
using Xunit;

namespace LinuxIsolation.Cni.Tests;

/// <summary>
/// <see cref="CniDelegate"/> against small shell-script plugins in a temporary CNI_PATH directory (no privileges):
/// the lookup, what the delegated plugin receives, and its failures reaching the caller.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CniDelegateTests : IDisposable
{
    private const string Conf = """{"cniVersion":"1.0.0","name":"n","type":"lxi-cni","ipam":{"type":"fake","x":1}}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("lxicni-delegate").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Plugin(string name, string body)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private CniRequest Request(string command = "ADD")
    {
        CniEnvironment env = CniEnvironment.Read(k => k switch
        {
            "CNI_COMMAND" => command,
            "CNI_CONTAINERID" => "c1",
            "CNI_NETNS" => "/run/netns/c1",
            "CNI_IFNAME" => "eth0",
            "CNI_ARGS" => "K8S_POD_NAME=p;IgnoreUnknown=1",
            "CNI_PATH" => "/nonexistent:" + _dir,
            _ => null,
        });
        byte[] stdin = Encoding.UTF8.GetBytes(Conf);
        return new CniRequest(env, CniNetworkConfig.Parse(stdin), stdin);
    }

    [Theory]
    [InlineData("../host-local")]
    [InlineData("a/b")]
    [InlineData("/usr/lib/cni/host-local")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public void FindRefusesATypeThatIsNotAPlainFileName(string type)
    {
        CniException e = Assert.Throws<CniException>(() => CniDelegate.Find(type, [_dir]));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Contains("not a plain file name", e.Message);
    }

    [Fact]
    public void FindTakesTheFirstDirectoryThatHoldsThePluginAndNamesThePathWhenNoneDoes()
    {
        string p = Plugin("fake", "exit 0");
        Assert.Equal(p, CniDelegate.Find("fake", ["/nonexistent", _dir]));
        CniException e = Assert.Throws<CniException>(() => CniDelegate.Add("missing", Request()));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, e.Code);
        Assert.Equal($"plugin type \"missing\" is not found on CNI_PATH (/nonexistent:{_dir}).", e.Message);
    }

    [Fact]
    public void AddPassesTheEnvironmentAndStdinAndReadsALegacyResultIntoTheRequestedVersion()
    {
        Plugin("fake", $$$"""
            cat > '{{{_dir}}}/stdin'
            env | grep '^CNI_' | sort > '{{{_dir}}}/env'
            echo '{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.2.3/24","gateway":"10.1.2.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.1.2.53"]}}'
            """);
        CniResult r = CniDelegate.Add("fake", Request());

        Assert.Equal(Conf, File.ReadAllText(Path.Combine(_dir, "stdin")));
        Assert.Equal(
            $"CNI_ARGS=K8S_POD_NAME=p;IgnoreUnknown=1\nCNI_COMMAND=ADD\nCNI_CONTAINERID=c1\nCNI_IFNAME=eth0\nCNI_NETNS=/run/netns/c1\nCNI_PATH=/nonexistent:{_dir}\n",
            File.ReadAllText(Path.Combine(_dir, "env")));
        Assert.Equal("10.1.2.3/24", r.Ips![0].Address.ToString());
        Assert.Equal("10.1.2.1", r.Ips[0].Gateway!.ToString());
        Assert.Equal("0.0.0.0/0", r.Routes![0].Destination.ToString());
        Assert.Equal("10.1.2.53", r.Dns!.Nameservers![0]);
        // Written in the version the runtime asked for: 1.0.0 has no per-IP "version".
        Assert.Equal(
            """{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3/24","gateway":"10.1.2.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.1.2.53"]}}""",
            r.ToJson("1.0.0"));
    }

    [Fact]
    public void DeleteAndCheckRunThePluginWithTheirOwnCommand()
    {
        Plugin("fake", $"echo \"$CNI_COMMAND\" >> '{_dir}/commands'");
        CniDelegate.Delete("fake", Request("DEL"));
        CniDelegate.Check("fake", Request("ADD"));
        Assert.Equal("DEL\nCHECK\n", File.ReadAllText(Path.Combine(_dir, "commands")));
    }

    [Fact]
    public void ThePluginsErrorObjectIsPassedThroughWithItsCodeMessageAndDetails()
    {
        // The reference plugins print their error without a cniVersion.
        Plugin("fake", """
            cat > /dev/null
            printf '{\n    "code": 11,\n    "msg": "no IP addresses available in range set",\n    "details": "10.1.2.2-10.1.2.3"\n}'
            exit 1
            """);
        CniException e = Assert.Throws<CniException>(() => CniDelegate.Add("fake", Request()));
        Assert.Equal(CniErrorCode.TryAgainLater, e.Code);
        Assert.Equal("no IP addresses available in range set", e.Message);
        Assert.Equal("10.1.2.2-10.1.2.3", e.Details);
    }

    [Fact]
    public void AFailureWithoutAnErrorObjectIsCode999WithTheOutput()
    {
        Plugin("fake", "echo 'panic: oops'; exit 2");
        CniException e = Assert.Throws<CniException>(() => CniDelegate.Delete("fake", Request("DEL")));
        Assert.Equal(CniErrorCode.Unknown, e.Code);
        Assert.Equal("plugin \"fake\" DEL exited with status 2: panic: oops", e.Message);
    }

    [Theory]
    [InlineData("not json", CniErrorCode.DecodeFailure)]
    [InlineData("[1,2]", CniErrorCode.DecodeFailure)]
    [InlineData("""{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.300/24"}]}""", CniErrorCode.DecodeFailure)]
    [InlineData("""{"cniVersion":"7.0.0","ips":[]}""", CniErrorCode.IncompatibleVersion)]
    public void AMalformedResultIsRefusedNamingThePlugin(string output, int code)
    {
        Plugin("fake", $"cat > /dev/null; echo '{output}'");
        CniException e = Assert.Throws<CniException>(() => CniDelegate.Add("fake", Request()));
        Assert.Equal(code, e.Code);
        Assert.StartsWith("plugin \"fake\" ADD: ", e.Message);
    }
}

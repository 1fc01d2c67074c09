using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Networking;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Networking;

public class TunTapTests
{
    [Fact]
    public void TunAndTapAreCreatedInTheClientsNamespaceNotTheCallers()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("tun");
        using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
        try
        {
            using RtnetlinkClient client = ns.OpenRtnetlink();

            // This thread is in the test process's namespace; the devices must appear in ns only.
            Link tap = client.CreateTunTap("lxitap0", TunTapMode.Tap);
            Link tun = client.CreateTunTap("lxitun0", TunTapMode.Tun, new TunTapOptions { Owner = 1000, MultiQueue = true });

            Assert.Equal("tun", tap.Kind);
            JsonElement tapData = Show(name, "lxitap0").GetProperty("linkinfo").GetProperty("info_data");
            Assert.Equal("tap", tapData.GetProperty("type").GetString());
            Assert.True(tapData.GetProperty("persist").GetBoolean());
            Assert.False(tapData.GetProperty("pi").GetBoolean());
            JsonElement tunData = Show(name, "lxitun0").GetProperty("linkinfo").GetProperty("info_data");
            Assert.Equal("tun", tunData.GetProperty("type").GetString());
            Assert.True(tunData.GetProperty("multi_queue").GetBoolean());

            // ip prints the owner's user name when it has one, else the number.
            string owner = tunData.GetProperty("user").ToString();
            string? user = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Where(f => f.Length > 2 && f[2] == "1000").Select(f => f[0]).FirstOrDefault();
            Assert.Equal(user ?? "1000", owner);
            Assert.Equal(tun.Index, Show(name, "lxitun0").GetProperty("ifindex").GetInt32());

            // The link is read before TUNSETPERSIST, with the descriptor still open: what is returned is what stays.
            Assert.Equal(client.GetLink("lxitap0"), tap);
            Assert.Equal(client.GetLink("lxitun0"), tun);
            Assert.DoesNotContain("lxitap0", NsTool.Run("ip", "-o", "link", "show"), StringComparison.Ordinal);

            client.DeleteLink(tap.Index);
            client.DeleteLink(tun.Index);
            Assert.Equal("lo", Assert.Single(client.ListLinks()).Name);
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }
    }

    [Fact]
    public void AFailedCreationLeavesNoDeviceBehind()
    {
        Privileged.Require();
        using NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        using RtnetlinkClient client = ns.OpenRtnetlink();
        client.CreateBridge("taken0");

        // TUNSETIFF refuses a name held by another kind of device.
        var e = Assert.Throws<LinuxSyscallException>(() => client.CreateTunTap("taken0", TunTapMode.Tap));
        Assert.Equal("ioctl(TUNSETIFF)", e.Syscall);
        Assert.Equal(new[] { "lo", "taken0" }, client.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData("a/b")]
    public void BadArgumentsAreRefusedBeforeAnySyscall(string name)
    {
        // A disposed client: nothing could reach the kernel.
        RtnetlinkClient client = RtnetlinkClient.Open();
        client.Dispose();
        Assert.Throws<ArgumentException>(() => client.CreateTunTap(name, TunTapMode.Tap));
        Assert.Throws<ArgumentException>(() => client.CreateTunTap("t0", (TunTapMode)7));
        Assert.Throws<ArgumentNullException>(() => TunTap.CreateTunTap(null!, "t0", TunTapMode.Tun));
    }

    private static JsonElement Show(string ns, string device) =>
        JsonDocument.Parse(NsTool.Run("ip", "-n", ns, "-j", "-d", "link", "show", "dev", device)).RootElement[0];
}

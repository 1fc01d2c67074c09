using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink.Rtnetlink;
using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

public class NetworkNamespaceTests
{
    [Fact]
    public void AnonymousNamespaceIsNewAndHoldsOnlyLoopback()
    {
        Privileged.Require();
        using NetworkNamespace host = NetworkNamespace.OpenCurrent();
        using NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        Assert.Null(ns.Name);
        Assert.False(ns.IsSameAs(host));
        Assert.Equal(NsTool.InodeOf("/proc/self/ns/net"), host.Id.Inode);

        using RtnetlinkClient client = ns.OpenRtnetlink();
        Link lo = Assert.Single(client.ListLinks());
        Assert.Equal("lo", lo.Name);
        Assert.False(lo.IsUp);

        // The process itself (every thread) is still where it was.
        Assert.Equal(host.Id.Inode, NsTool.InodeOf("/proc/thread-self/ns/net"));
    }

    [Fact]
    public void RunExecutesInsideTheNamespaceOnAnotherThread()
    {
        Privileged.Require();
        using NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        int caller = Environment.CurrentManagedThreadId;
        (ulong inode, int thread) = ns.Run(() => (NsTool.InodeOf("/proc/thread-self/ns/net"), Environment.CurrentManagedThreadId));
        Assert.Equal(ns.Id.Inode, inode);
        Assert.NotEqual(caller, thread);
        Assert.NotEqual(ns.Id.Inode, NsTool.InodeOf("/proc/thread-self/ns/net"));

        ulong seen = 0;
        ns.Run(() => { seen = NsTool.InodeOf("/proc/thread-self/ns/net"); });
        Assert.Equal(ns.Id.Inode, seen);
    }

    [Fact]
    public void NamedNamespaceIsVisibleToIproute2AndCanBeOpenedAndDeleted()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("named");
        string path = "/run/netns/" + name;
        try
        {
            using NetworkNamespace created = NetworkNamespace.CreateNamed(name);
            Assert.Equal(name, created.Name);
            Assert.Contains(name, NsTool.IpNetnsList());
            Assert.Contains(name, NetworkNamespace.List());
            Assert.True(NetworkNamespace.Exists(name));
            Assert.Contains(path, NsTool.MountPoints());

            // ip netns exec works and sees only lo.
            using (JsonDocument links = JsonDocument.Parse(NsTool.Run("ip", "netns", "exec", name, "ip", "-j", "link")))
            {
                JsonElement only = Assert.Single(links.RootElement.EnumerateArray());
                Assert.Equal("lo", only.GetProperty("ifname").GetString());
            }

            Assert.Equal($"net:[{created.Id.Inode}]", NsTool.Run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").Trim());

            // Open by name and by path: the same namespace.
            using (NetworkNamespace byName = NetworkNamespace.Open(name))
            using (NetworkNamespace byPath = NetworkNamespace.OpenPath(path))
            {
                Assert.True(byName.IsSameAs(created));
                Assert.True(byPath.IsSameAs(created));
                Assert.Equal(created.Id, byName.Id);
            }

            // Open by the pid of a process that ip netns exec started inside it.
            using (Process sleeper = Process.Start("ip", ["netns", "exec", name, "sleep", "60"]))
            {
                try
                {
                    WaitUntil(() => NsTool.ReadLink($"/proc/{sleeper.Id}/ns/net") == $"net:[{created.Id.Inode}]");
                    using NetworkNamespace byPid = NetworkNamespace.OpenProcess(sleeper.Id);
                    Assert.True(byPid.IsSameAs(created));
                }
                finally
                {
                    sleeper.Kill();
                    sleeper.WaitForExit();
                }
            }

            NetworkNamespace.Delete(name);
            Assert.DoesNotContain(name, NsTool.IpNetnsList());
            Assert.False(File.Exists(path));
            Assert.DoesNotContain(path, NsTool.MountPoints());

            // The handle still holds the (now unnamed) namespace.
            using RtnetlinkClient client = created.OpenRtnetlink();
            Assert.Equal("lo", Assert.Single(client.ListLinks()).Name);

            var missing = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.Open(name));
            Assert.Equal("ENOENT", missing.ErrorName);
            Assert.Equal("ENOENT", Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.Delete(name)).ErrorName);
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [Fact]
    public void NamespaceMadeByIpNetnsAddOpensByName()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("ipadd");
        NsTool.Run("ip", "netns", "add", name);
        try
        {
            using NetworkNamespace ns = NetworkNamespace.Open(name);
            Assert.Equal(NsTool.Run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").Trim(), ns.Handle.ToString());
        }
        finally
        {
            NetworkNamespace.Delete(name);
        }

        Assert.DoesNotContain(name, NsTool.IpNetnsList());
    }

    [Fact]
    public void CreatingAnExistingNameFailsWithEexistAndLeavesTheOriginalAlone()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("exists");
        try
        {
            using NetworkNamespace first = NetworkNamespace.CreateNamed(name);
            var e = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(name));
            Assert.Equal("EEXIST", e.ErrorName);
            Assert.Contains("already exists", e.Message, StringComparison.Ordinal);
            using NetworkNamespace reopened = NetworkNamespace.Open(name);
            Assert.True(reopened.IsSameAs(first));
            Assert.Single(NsTool.MountPoints(), p => p == "/run/netns/" + name);
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [Theory]
    [InlineData((int)NamedNamespaceFault.BindMount, "ENOENT")]
    [InlineData((int)NamedNamespaceFault.OpenAfterMount, "EMFILE")]
    public void CreationFailingPartWayLeavesNoFileAndNoMount(int fault, string errno)
    {
        Privileged.Require();
        string name = NsTool.UniqueName("fault");
        string path = "/run/netns/" + name;
        try
        {
            var e = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(name, (NamedNamespaceFault)fault));
            Assert.Equal(errno, e.ErrorName);
            Assert.Contains("undone", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(path));
            Assert.DoesNotContain(path, NsTool.MountPoints());
            Assert.DoesNotContain(name, NsTool.IpNetnsList());
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [Fact]
    public void SysctlsAreReadAndWrittenInsideTheNamespaceOnly()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("sysctl");
        string hostForward = File.ReadAllText("/proc/sys/net/ipv4/ip_forward");
        string hostRpFilter = File.ReadAllText("/proc/sys/net/ipv4/conf/lo/rp_filter");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
            Assert.Equal("0", ns.ReadSysctl("net.ipv4.ip_forward"));
            ns.WriteSysctl("net.ipv4.ip_forward", "1");
            Assert.Equal("1", ns.ReadSysctl("net.ipv4.ip_forward"));
            Assert.Equal("1", NsTool.Run("ip", "netns", "exec", name, "sysctl", "-n", "net.ipv4.ip_forward").Trim());

            // Per-interface keys, IPv4 and IPv6, dotted and slashed.
            ns.WriteSysctl("net.ipv4.conf.lo.rp_filter", "2");
            Assert.Equal("2", NsTool.Run("ip", "netns", "exec", name, "sysctl", "-n", "net.ipv4.conf.lo.rp_filter").Trim());
            Assert.Equal("2", ns.ReadSysctl("net/ipv4/conf/lo/rp_filter"));
            ns.WriteSysctl("net.ipv6.conf.lo.disable_ipv6", "1");
            Assert.Equal("1", NsTool.Run("ip", "netns", "exec", name, "sysctl", "-n", "net.ipv6.conf.lo.disable_ipv6").Trim());

            Assert.Equal("ENOENT", Assert.Throws<LinuxSyscallException>(() => ns.ReadSysctl("net.ipv4.conf.nosuch0.forwarding")).ErrorName);
            Assert.Equal("EINVAL", Assert.Throws<LinuxSyscallException>(() => ns.WriteSysctl("net.ipv4.ip_forward", "not-a-number")).ErrorName);
            Assert.Throws<ArgumentException>(() => ns.WriteSysctl("kernel.hostname", "x"));
            Assert.Throws<ArgumentException>(() => ns.ReadSysctl("net/../kernel/hostname"));
            Assert.Throws<ArgumentException>(() => ns.WriteSysctl("net.ipv4.ip_forward", "1\0"));
        }
        finally
        {
            DeleteIfPresent(name);
        }

        Assert.Equal(hostForward, File.ReadAllText("/proc/sys/net/ipv4/ip_forward"));
        Assert.Equal(hostRpFilter, File.ReadAllText("/proc/sys/net/ipv4/conf/lo/rp_filter"));
    }

    [Fact]
    public void SocketsCreatedInsideCarryTcpOverTheNamespacesLoopback()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("tcp");
        try
        {
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name);
            NsTool.Run("ip", "-n", name, "link", "set", "lo", "up");
            using Socket listener = ns.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

            // ss inside the namespace sees the listener.
            Assert.Contains($"127.0.0.1:{port}", NsTool.Run("ip", "netns", "exec", name, "ss", "-Htln"), StringComparison.Ordinal);

            using Socket client = ns.OpenSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(IPAddress.Loopback, port);
            using Socket accepted = listener.Accept();
            client.Send("ping"u8);
            byte[] buffer = new byte[4];
            int received = 0;
            while (received < 4)
            {
                received += accepted.Receive(buffer, received, 4 - received, SocketFlags.None);
            }

            Assert.Equal("ping"u8.ToArray(), buffer);
            Assert.Throws<ArgumentOutOfRangeException>(() => ns.OpenSocket(AddressFamily.AppleTalk, SocketType.Stream, ProtocolType.Tcp));
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [Fact]
    public void OpenSocketOnADisposedNamespaceIsRefused()
    {
        Privileged.Require();
        NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        ns.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ns.OpenRtnetlink());
        Assert.Throws<ObjectDisposedException>(() => ns.ReadSysctl("net.ipv4.ip_forward"));
    }

    private static void DeleteIfPresent(string name)
    {
        if (File.Exists("/run/netns/" + name))
        {
            NetworkNamespace.Delete(name);
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 500; i++)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (IOException)
            {
            }

            Thread.Sleep(10);
        }

        Assert.Fail("condition not reached in 5 s");
    }
}

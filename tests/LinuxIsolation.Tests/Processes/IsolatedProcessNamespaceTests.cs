using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class IsolatedProcessNamespaceTests
{
    [Fact]
    public async Task NewPidNamespaceMakesTheProgramPid1()
    {
        Privileged.Require();
        var info = Spawn.Sh("echo $$");
        info.NewNamespaces = NamespaceFlags.Pid;
        Assert.Equal("1\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task NewUtsNamespaceHasTheHostNameAndDomainName()
    {
        Privileged.Require();
        string host = File.ReadAllText("/proc/sys/kernel/hostname");
        var info = Spawn.Sh("hostname; cat /proc/sys/kernel/domainname");
        info.NewNamespaces = NamespaceFlags.Uts;
        info.HostName = "container4";
        info.DomainName = "lxi.test";
        Assert.Equal("container4\nlxi.test\n", await Spawn.OutputAsync(info));
        Assert.Equal(host, File.ReadAllText("/proc/sys/kernel/hostname"));
    }

    [Fact]
    public async Task NewNetworkNamespaceHasOnlyLoopback()
    {
        Privileged.Require();
        var info = Spawn.Sh("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
        info.NewNamespaces = NamespaceFlags.Network;
        Assert.Equal("lo\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task NewIpcNamespaceIsNotTheCallers()
    {
        Privileged.Require();
        var info = Spawn.Sh("readlink /proc/self/ns/ipc");
        info.NewNamespaces = NamespaceFlags.Ipc;
        string inside = (await Spawn.OutputAsync(info)).Trim();
        Assert.StartsWith("ipc:[", inside, StringComparison.Ordinal);
        Assert.NotEqual(File.ResolveLinkTarget("/proc/self/ns/ipc", false)!.FullName.Split('/').Last(), inside);
    }

    [Theory]
    [InlineData(NamespaceFlags.Time, "time")]
    [InlineData(NamespaceFlags.Cgroup, "cgroup")]
    [InlineData(NamespaceFlags.Mount, "mnt")]
    public async Task EachNewNamespaceIsNotTheCallers(NamespaceFlags kind, string name)
    {
        Privileged.Require();
        var info = Spawn.Sh($"readlink /proc/self/ns/{name}");
        info.NewNamespaces = kind;
        string inside = (await Spawn.OutputAsync(info)).Trim();
        Assert.StartsWith(name + ":[", inside, StringComparison.Ordinal);
        Assert.NotEqual(File.ResolveLinkTarget($"/proc/self/ns/{name}", false)!.FullName.Split('/').Last(), inside);
    }

    [Fact]
    public async Task UserNamespaceMapsRootToTheGivenRange()
    {
        Privileged.Require();
        var info = Spawn.Sh("id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map");
        info.NewNamespaces = NamespaceFlags.User;
        info.UserIdMappings.Add(new IdMapping(0, 200000, 1000));
        info.UserIdMappings.Add(new IdMapping(1000, 300000, 10));
        info.GroupIdMappings.Add(new IdMapping(0, 200000, 1000));
        string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("0", lines[0]);
        Assert.Equal("0", lines[1]);
        Assert.Equal(["0", "200000", "1000"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["1000", "300000", "10"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["0", "200000", "1000"], lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task UidZeroInsideIsTheGivenUidOutside()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("/bin/sleep", "100") { NewNamespaces = NamespaceFlags.User };
        info.UserIdMappings.Add(new IdMapping(0, 123456, 1));
        info.GroupIdMappings.Add(new IdMapping(0, 123457, 1));
        using IsolatedProcess p = IsolatedProcess.Start(info);
        try
        {
            string[] status = File.ReadAllLines($"/proc/{p.Id}/status");
            Assert.Equal(["123456", "123456", "123456", "123456"], status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1..]);
            Assert.Equal("123457", status.Single(l => l.StartsWith("Gid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        finally
        {
            p.Kill();
            await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    [Fact]
    public async Task UserNamespaceWithSetGroupsDenied()
    {
        Privileged.Require();
        var info = Spawn.Sh("cat /proc/self/setgroups; id -u");
        info.NewNamespaces = NamespaceFlags.User;
        info.DenySetGroups = true;
        info.UserIdMappings.Add(new IdMapping(0, 200000, 1));
        info.GroupIdMappings.Add(new IdMapping(0, 200000, 1));
        Assert.Equal("deny\n0\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task JoinsAnExistingNetworkNamespaceByNameAndByHandle()
    {
        Privileged.Require();
        string name = $"lxi-spawn-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        Run("ip", $"netns add {name}");
        try
        {
            Run("ip", $"netns exec {name} ip link add lxa type veth peer name lxb");
            string expected = "net:[" + Run("stat", $"-L -c %i /run/netns/{name}").Trim() + "]";

            var byName = Spawn.Sh("readlink /proc/self/ns/net; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort");
            byName.JoinNamespaces.Add(NamespaceJoin.NetworkNamespace(name));
            Assert.Equal(expected + "\nlo\nlxa\nlxb\n", await Spawn.OutputAsync(byName));

            using var handle = File.OpenHandle($"/run/netns/{name}");
            var byHandle = Spawn.Sh("readlink /proc/self/ns/net");
            byHandle.JoinNamespaces.Add(NamespaceJoin.FromHandle(NamespaceFlags.Network, handle));
            Assert.Equal(expected + "\n", await Spawn.OutputAsync(byHandle));
            Assert.False(handle.IsClosed);
        }
        finally
        {
            Run("ip", $"netns delete {name}");
        }

        Assert.DoesNotContain(name, Run("ip", "netns list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoinsAnotherProcessesUserAndNetworkNamespaces()
    {
        Privileged.Require();
        var first = new IsolatedProcessStartInfo("/bin/sleep", "100") { NewNamespaces = NamespaceFlags.User | NamespaceFlags.Network };
        first.UserIdMappings.Add(new IdMapping(0, 100000, 65536));
        first.GroupIdMappings.Add(new IdMapping(0, 100000, 65536));
        using IsolatedProcess owner = IsolatedProcess.Start(first);
        try
        {
            // The network namespace is owned by the new user namespace: joining the user namespace first (the
            // library orders it so, whatever the list order) gives the capability to join the network one.
            var second = Spawn.Sh("readlink /proc/self/ns/user /proc/self/ns/net; id -u");
            second.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Network, $"/proc/{owner.Id}/ns/net"));
            second.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.User, $"/proc/{owner.Id}/ns/user"));
            second.UserId = 0;
            second.GroupId = 0;
            string expected =
                File.ResolveLinkTarget($"/proc/{owner.Id}/ns/user", false)!.Name + "\n" +
                File.ResolveLinkTarget($"/proc/{owner.Id}/ns/net", false)!.Name + "\n0\n";
            Assert.Equal(expected, await Spawn.OutputAsync(second));
        }
        finally
        {
            owner.Kill();
            await owner.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    [Fact]
    public void JoiningAFileOfAnotherKindReportsSetns()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("/bin/true");
        info.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Network, "/proc/self/ns/uts"));
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
        Assert.Equal(SpawnStep.JoinNamespace, e.Step);
        Assert.Equal("EINVAL", e.ErrorName);
        Assert.Equal("/proc/self/ns/uts", e.Path);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task StartsInsideTheGivenCgroupBeforeItRuns(bool fallback, bool asHandle)
    {
        Privileged.Require();
        string leaf = $"lxi-spawn-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        string dir = Path.Combine("/sys/fs/cgroup/unified", leaf);
        Directory.CreateDirectory(dir);
        try
        {
            var info = Spawn.Sh("cat /proc/self/cgroup | grep '^0::'");
            info.ForceCloneFallback = fallback;
            using var handle = asHandle ? OpenDirectory(dir) : null;
            if (asHandle)
            {
                info.CgroupDirectory = handle;
            }
            else
            {
                info.CgroupPath = dir;
            }

            // The first thing the program does is read its own cgroup: it was placed before it ran.
            Assert.Equal($"0::/{leaf}\n", await Spawn.OutputAsync(info));
        }
        finally
        {
            RemoveCgroup(dir);
        }
    }

    [Fact]
    public async Task StartsInsideACgroupV1Directory()
    {
        Privileged.Require();
        string leaf = $"lxi-spawn-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        string dir = Path.Combine("/sys/fs/cgroup/pids", leaf);
        Directory.CreateDirectory(dir);
        try
        {
            var info = Spawn.Sh("grep ':pids:' /proc/self/cgroup");
            info.CgroupPath = dir;
            Assert.EndsWith($":pids:/{leaf}\n", await Spawn.OutputAsync(info), StringComparison.Ordinal);
        }
        finally
        {
            RemoveCgroup(dir);
        }
    }

    [Fact]
    public async Task NewCgroupNamespaceIsRootedAtThePlacement()
    {
        Privileged.Require();
        string leaf = $"lxi-spawn-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        string dir = Path.Combine("/sys/fs/cgroup/unified", leaf);
        Directory.CreateDirectory(dir);
        try
        {
            var info = Spawn.Sh("grep '^0::' /proc/self/cgroup");
            info.NewNamespaces = NamespaceFlags.Cgroup;
            info.CgroupPath = dir;
            Assert.Equal("0::/\n", await Spawn.OutputAsync(info));
        }
        finally
        {
            RemoveCgroup(dir);
        }
    }

    internal static LinuxIsolation.SafeFileDescriptor OpenDirectory(string dir)
    {
        int fd = Interop.open(dir, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0);
        Assert.True(fd >= 0, $"open {dir}");
        return new LinuxIsolation.SafeFileDescriptor(fd, ownsHandle: true);
    }

    internal static void RemoveCgroup(string dir)
    {
        // The process was reaped; the kernel may take a moment to see the cgroup empty.
        for (int i = 0; ; i++)
        {
            try
            {
                Directory.Delete(dir);
                return;
            }
            catch (IOException) when (i < 100)
            {
                System.Threading.Thread.Sleep(10);
            }
        }
    }

    internal static string Run(string file, string arguments)
    {
        using var p = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"{file} {arguments} failed ({p.ExitCode}): {error}");
        }

        return output;
    }
}

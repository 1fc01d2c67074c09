using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class IsolatedProcessRootTests
{
    private const NamespaceFlags Container = NamespaceFlags.Mount | NamespaceFlags.Pid | NamespaceFlags.Uts | NamespaceFlags.Ipc | NamespaceFlags.Network;

    [Fact]
    public async Task PivotRootShowsOnlyTheNewRootAndHidesTheHost()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("ls /; cat /etc/lxi-rootfs; test -e /usr && echo host-visible; cat /proc/self/mountinfo | wc -l");
        info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
        info.RootDirectory = root.Path;
        info.Mounts.Add(IsolatedMount.Proc());
        string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["bin", "data", "dev", "etc", "proc", "root", "sys", "tmp"], lines[..8]);
        Assert.Equal("rootfs marker", lines[8]);
        Assert.DoesNotContain("host-visible", lines);
        // After pivot_root and the detach of the old root only the new root and /proc are mounted.
        Assert.Equal("2", lines[^1]);
    }

    [Theory]
    [InlineData(RootChange.PivotRoot)]
    [InlineData(RootChange.Chroot)]
    public async Task MountNamespaceRootIsTheNewRootOnlyAfterPivotRoot(RootChange change)
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = new IsolatedProcessStartInfo("/bin/sleep", "100")
        {
            NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid,
            RootDirectory = root.Path,
            RootChange = change,
        };
        info.Environment.Clear();
        using IsolatedProcess p = IsolatedProcess.Start(info);
        try
        {
            // setns into a mount namespace puts nsenter at that namespace's root: after pivot_root it is the new
            // root (the host's is gone from the namespace); after chroot it is still the host's.
            string listing = IsolatedProcessNamespaceTests.Run("nsenter", $"--mount=/proc/{p.Id}/ns/mnt /bin/ls /");
            string[] entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (change == RootChange.PivotRoot)
            {
                Assert.Equal(["bin", "data", "dev", "etc", "proc", "root", "sys", "tmp"], entries);
            }
            else
            {
                Assert.Contains("usr", entries);
                Assert.DoesNotContain("data", entries);
            }

            // The kernel shows a pivoted root as its namespace's "/", a chroot as the directory.
            Assert.Equal(change == RootChange.PivotRoot ? "/" : root.Path, File.ResolveLinkTarget($"/proc/{p.Id}/root", false)!.FullName);
        }
        finally
        {
            p.Kill();
            await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    [Fact]
    public async Task PlainChrootWithoutNamespacesAsTheSeedDoes()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("cat /etc/lxi-rootfs; ls /bin/busybox; test -e /usr || echo no-usr");
        info.RootDirectory = root.Path;
        info.RootChange = RootChange.Chroot;
        Assert.Equal("rootfs marker\n/bin/busybox\nno-usr\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task ProcInTheNewPidNamespaceListsOnlyItsOwnProcesses()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("sleep 10 & ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '; kill %1");
        info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
        info.RootDirectory = root.Path;
        info.Mounts.Add(IsolatedMount.Proc());
        int[] pids = (await Spawn.OutputAsync(info)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        Assert.Contains(1, pids);
        Assert.All(pids, pid => Assert.True(pid < 10, $"pid {pid} is not one of the payload's"));
        Assert.True(pids.Length is >= 3 and <= 6, string.Join(' ', pids));
    }

    [Fact]
    public async Task ReadOnlyBindRefusesWritesAndReadWriteBindAcceptsThem()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        string data = Directory.CreateTempSubdirectory($"lxi-bind-{Environment.ProcessId}-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(data, "host-file"), "from host\n");
            var info = Spawn.BusyboxSh("cat /ro/host-file; touch /ro/new 2>&1; echo rc=$?; touch /rw/new && echo rw-ok");
            info.NewNamespaces = NamespaceFlags.Mount;
            info.RootDirectory = root.Path;
            info.Mounts.Add(IsolatedMount.Bind(data, "/ro", readOnly: true));
            info.Mounts.Add(IsolatedMount.Bind(data, "/rw"));
            string output = await Spawn.OutputAsync(info);
            Assert.Contains("from host", output, StringComparison.Ordinal);
            Assert.Contains("Read-only file system", output, StringComparison.Ordinal);
            Assert.Contains("rc=1", output, StringComparison.Ordinal);
            Assert.Contains("rw-ok", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(data, "new")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        // The mount points were made inside the root, the mounts themselves only in the child's namespace.
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(root.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SymlinksInTheRootCannotRedirectMountPointsToTheHost()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        string host = Directory.CreateTempSubdirectory($"lxi-escape-{Environment.ProcessId}-").FullName;
        try
        {
            // An absolute symlink inside the root that names a host directory.
            File.CreateSymbolicLink(Path.Combine(root.Path, "evil"), host);
            Directory.CreateDirectory(root.Path + host); // what the link names inside the root
            var info = Spawn.BusyboxSh("grep -c ' tmpfs ' /proc/mounts; ls -d /evil/mnt");
            info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
            info.RootDirectory = root.Path;
            info.Mounts.Add(IsolatedMount.Proc());
            info.Mounts.Add(IsolatedMount.Tmpfs("/evil/mnt"));
            string output = await Spawn.OutputAsync(info);
            Assert.Equal($"1\n/evil/mnt\n", output);
            // The link was resolved inside the root: the mount point was made there, not on the host.
            Assert.False(Directory.Exists(Path.Combine(host, "mnt")));
            Assert.True(Directory.Exists(root.Path + host + "/mnt"));
        }
        finally
        {
            Directory.Delete(host, recursive: true);
        }
    }

    [Fact]
    public async Task ReadOnlyRootRefusesWrites()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("touch /tmp/x 2>&1; echo rc=$?");
        info.NewNamespaces = NamespaceFlags.Mount;
        info.RootDirectory = root.Path;
        info.ReadOnlyRoot = true;
        string output = await Spawn.OutputAsync(info);
        Assert.Contains("Read-only file system", output, StringComparison.Ordinal);
        Assert.Contains("rc=1", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root.Path, "tmp", "x")));
    }

    [Fact]
    public async Task ContainerDefaultsGiveDevProcSysMaskedAndReadOnlyPaths()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh(
            "ls /dev | tr '\\n' ' '; echo; readlink /dev/ptmx; readlink /dev/fd; readlink /dev/stdin; echo x > /dev/null && echo null-ok; " +
            "head -c 4 /dev/zero | wc -c; wc -c < /proc/timer_list; wc -c < /proc/keys; ls /sys/firmware | wc -l; " +
            "echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null || echo sys-ro; touch /sys/x 2>/dev/null || echo sysfs-ro; hostname");
        info.NewNamespaces = Container;
        info.HostName = "container4";
        info.RootDirectory = root.Path;
        info.AddContainerDefaults();
        string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero", lines[0].Trim());
        Assert.Equal("pts/ptmx", lines[1]);
        Assert.Equal("/proc/self/fd", lines[2]);
        Assert.Equal("/proc/self/fd/0", lines[3]);
        Assert.Equal("null-ok", lines[4]);
        Assert.Equal("4", lines[5].Trim());
        Assert.NotEqual(0, new FileInfo("/proc/timer_list").Exists ? File.ReadAllText("/proc/timer_list").Length : 0);
        Assert.Equal("0", lines[6].Trim()); // /proc/timer_list masked (it has content on the host)
        Assert.Equal("0", lines[7].Trim()); // /proc/keys masked
        Assert.Equal("0", lines[8].Trim()); // /sys/firmware an empty tmpfs
        Assert.Equal("sys-ro", lines[9]);
        Assert.Equal("sysfs-ro", lines[10]);
        Assert.Equal("container4", lines[11]);
    }

    [Fact]
    public async Task UserNamespaceContainerBindsDeviceNodes()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("id -u; echo x > /dev/null && echo null-ok; head -c 3 /dev/urandom | wc -c; echo $$");
        info.NewNamespaces = Container | NamespaceFlags.User;
        info.UserIdMappings.Add(new IdMapping(0, 0, 65536));
        info.GroupIdMappings.Add(new IdMapping(0, 0, 65536));
        info.RootDirectory = root.Path;
        info.Mounts.Add(IsolatedMount.Proc());
        info.Mounts.Add(IsolatedMount.MinimalDev());
        info.Mounts.Add(IsolatedMount.Sysfs());
        Assert.Equal("0\nnull-ok\n3\n1\n", (await Spawn.OutputAsync(info)).Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkingDirectoryIsInsideTheNewRoot()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("pwd");
        info.NewNamespaces = NamespaceFlags.Mount;
        info.RootDirectory = root.Path;
        info.WorkingDirectory = "/etc";
        Assert.Equal("/etc\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public void PivotRootIntoANonMountPointReportsStepPathAndErrno()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("true");
        info.NewNamespaces = NamespaceFlags.Mount;
        info.RootDirectory = root.Path;
        info.BindMountRoot = false;
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
        Assert.Equal(SpawnStep.PivotRoot, e.Step);
        Assert.Equal(root.Path, e.Path);
        // A directory on the root file system itself gives EBUSY; one inside another mount, EINVAL.
        Assert.Contains(e.ErrorName, new[] { "EINVAL", "EBUSY" });
        Assert.Equal($"pivot_root(\"{root.Path}\"): {new System.ComponentModel.Win32Exception(e.Errno).Message} ({e.ErrorName}) (new root must be a mount point, not on a shared mount; start isolated process: step PivotRoot failed; undone: the child was killed and reaped)", e.Message);
    }

    [Fact]
    public void ProgramMissingAfterTheMountsReportsResolveProgram()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        // /opt is a mount, so the check before clone cannot see inside it; the child's lookup inside the root reports it.
        var info = new IsolatedProcessStartInfo("/opt/missing") { NewNamespaces = NamespaceFlags.Mount, RootDirectory = root.Path };
        info.Mounts.Add(IsolatedMount.Tmpfs("/opt"));
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
        Assert.Equal(SpawnStep.ResolveProgram, e.Step);
        Assert.Equal(2, e.Errno);
        Assert.Contains("inside the new root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedMountNamesTheTarget()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        var info = Spawn.BusyboxSh("true");
        info.NewNamespaces = NamespaceFlags.Mount;
        info.RootDirectory = root.Path;
        info.Mounts.Add(IsolatedMount.Tmpfs("/scratch", "size=notanumber"));
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
        Assert.Equal(SpawnStep.Mount, e.Step);
        Assert.Equal(root.Path + "/scratch", e.Path);
        Assert.Equal("EINVAL", e.ErrorName);
    }
}

using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

/// <summary>
/// What an OCI runtime needs from a spawn: exec into a running container's PID namespace, a pseudo-terminal, the
/// create/start split, umask, oom_score_adj, sysctls, each capability set on its own, and rlimit errors that name
/// the limit. Each is checked from inside the process (/proc, tty, stty) rather than by reading back the setting.
/// </summary>
public partial class ContainerRuntimeSpawnTests
{
    [Fact]
    public async Task ProcessStartsInsideARunningContainersPidNamespace()
    {
        Privileged.Require();
        using IsolatedProcess container = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "1000") { NewNamespaces = NamespaceFlags.Pid });
        try
        {
            string containerNs = File.ReadAllText($"/proc/{container.Id}/status").Split('\n').Single(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
            Assert.EndsWith("\t1", containerNs, StringComparison.Ordinal); // the sleeper is PID 1 inside

            var info = Spawn.Sh("readlink /proc/self/ns/pid; grep '^NSpid:' /proc/self/status");
            info.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Pid, $"/proc/{container.Id}/ns/pid"));
            string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

            string expectedNs = new FileInfo($"/proc/{container.Id}/ns/pid").LinkTarget!;
            Assert.Equal(expectedNs, lines[0]);
            // Two levels: the host's PID and one inside the container, above 1 (the container's init is 1).
            string[] nspid = lines[1]["NSpid:".Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, nspid.Length);
            Assert.True(int.Parse(nspid[1], System.Globalization.CultureInfo.InvariantCulture) > 1, lines[1]);

            // The spawning thread went back to the caller's own PID namespace: a plain spawn lands there.
            Assert.Equal(
                new FileInfo("/proc/self/ns/pid").LinkTarget + "\n",
                await Spawn.OutputAsync(Spawn.Sh("readlink /proc/self/ns/pid")));
        }
        finally
        {
            container.Kill(9);
            await container.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    /// <summary>
    /// A root set up in a joined mount namespace (an OCI config with a mount namespace path, as the validation
    /// suite's linux_ns_path gives): the mounts and pivot_root happen in that namespace, the process is in it, and
    /// the caller's mount table does not change.
    /// </summary>
    [Fact]
    public async Task RootAndMountsAreSetUpInAJoinedMountNamespace()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        using IsolatedProcess holder = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "1000") { NewNamespaces = NamespaceFlags.Mount });
        try
        {
            string before = File.ReadAllText("/proc/self/mountinfo");
            IsolatedProcessStartInfo info = Spawn.BusyboxSh("readlink /proc/self/ns/mnt; cat /etc/lxi-rootfs; grep -c ' - proc ' /proc/self/mountinfo");
            info.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Mount, $"/proc/{holder.Id}/ns/mnt"));
            info.NewNamespaces = NamespaceFlags.Pid;
            info.RootDirectory = root.Path;
            info.Mounts.Add(IsolatedMount.Proc());
            string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(new FileInfo($"/proc/{holder.Id}/ns/mnt").LinkTarget, lines[0]);
            Assert.Equal("rootfs marker", lines[1]);
            Assert.Equal("1", lines[2]); // the new proc, at the root's /proc
            Assert.Equal(before, File.ReadAllText("/proc/self/mountinfo"));
            // The joined namespace itself changed: pivot_root moved every process of it whose root was the old one
            // (pivot_root(2)), so the holder is in the new root too, and sees the new proc at /proc.
            Assert.Contains(File.ReadAllLines($"/proc/{holder.Id}/mountinfo"), l => l.Split(' ')[4] == "/proc" && l.Contains(" - proc ", StringComparison.Ordinal));
        }
        finally
        {
            holder.Kill(9);
            await holder.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    [Fact]
    public async Task TerminalIsTheControllingTtyWithTheSizeAsked()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        IsolatedProcessStartInfo info = Spawn.BusyboxSh("tty; stty size; test -t 0 && test -t 1 && test -t 2 && echo all-tty; exit 7");
        info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
        info.RootDirectory = root.Path;
        info.AddContainerDefaults();
        info.Terminal = true;
        info.TerminalSize = (33, 101);
        File.CreateSymbolicLink(Path.Combine(root.Path, "bin", "tty"), "busybox");
        File.CreateSymbolicLink(Path.Combine(root.Path, "bin", "stty"), "busybox");

        using IsolatedProcess p = IsolatedProcess.Start(info);
        Assert.NotNull(p.TerminalMaster);
        Assert.Null(p.StandardOutput);
        using var master = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(p.TerminalMaster!.DangerousGetHandle(), ownsHandle: false), FileAccess.Read, 1, isAsync: false);
        var output = new StringBuilder();
        var buffer = new byte[256];
        Task reader = Task.Run(() =>
        {
            try
            {
                int n;
                while ((n = master.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Append(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
            catch (IOException)
            {
                // EIO: the last holder of the peer closed it (the process ended).
            }
        });
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        await reader.WaitAsync(Spawn.Timeout);
        Assert.Equal(7, status.ExitCode);
        Assert.Equal("/dev/pts/0\r\n33 101\r\nall-tty\r\n", output.ToString());
    }

    [Fact]
    public async Task StartGateHoldsTheProgramUntilReleased()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        string gate = Path.Combine(root.Path, "tmp", "exec.fifo");
        Assert.Equal(0, mkfifo(gate, 0x180));
        string marker = Path.Combine(root.Path, "tmp", "ran");
        IsolatedProcessStartInfo info = Spawn.BusyboxSh("touch /tmp/ran");
        info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
        info.RootDirectory = root.Path;
        info.AddContainerDefaults();
        info.StartGatePath = gate;

        using IsolatedProcess p = IsolatedProcess.Start(info);
        Assert.True(p.IsWaitingAtStartGate);
        // Ready means the namespaces and the root exist: the process is in them, and the program has not run.
        Assert.NotEqual(new FileInfo("/proc/self/ns/mnt").LinkTarget, new FileInfo($"/proc/{p.Id}/ns/mnt").LinkTarget);
        Assert.False(File.Exists(marker));
        Assert.False(p.HasExited);
        Assert.NotEqual("busybox", File.ReadAllText($"/proc/{p.Id}/comm").Trim());

        Assert.True(IsolatedProcess.ReleaseStartGate(gate));
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(0, status.ExitCode);
        Assert.True(File.Exists(marker));
        // A second release finds nobody waiting.
        Assert.False(IsolatedProcess.ReleaseStartGate(gate));
    }

    [Fact]
    public async Task UmaskOomScoreAndSysctlsApplyInsideTheProcess()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        IsolatedProcessStartInfo info = Spawn.BusyboxSh("umask; cat /proc/self/oom_score_adj; cat /proc/sys/kernel/msgmax; cat /proc/sys/kernel/hostname");
        info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid | NamespaceFlags.Ipc | NamespaceFlags.Uts;
        info.RootDirectory = root.Path;
        info.AddContainerDefaults();
        info.HostName = "gate";
        info.Umask = Convert.ToUInt32("027", 8);
        info.OomScoreAdjustment = 321;
        info.Sysctls["kernel.msgmax"] = "12345";
        info.Sysctls["kernel.hostname"] = "from-sysctl";
        Assert.Equal("0027\n321\n12345\nfrom-sysctl\n", await Spawn.OutputAsync(info));

        // The host's own values are untouched (the IPC and UTS namespaces were new).
        Assert.NotEqual("12345", File.ReadAllText("/proc/sys/kernel/msgmax").Trim());
        Assert.NotEqual("from-sysctl", File.ReadAllText("/proc/sys/kernel/hostname").Trim());
    }

    [Fact]
    public async Task EachCapabilitySetIsItsOwn()
    {
        Privileged.Require();
        // After execve the kernel recomputes permitted and effective: for a non-root uid running a file without
        // file capabilities they become the ambient set; inheritable, ambient and bounding pass through as given.
        var info = Spawn.Sh("grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status");
        info.UserId = 1000;
        info.GroupId = 1000;
        info.KeepCapabilities = [Capability.NetBindService, Capability.Kill, Capability.Chown, Capability.NetRaw];
        info.PermittedCapabilities = [Capability.NetBindService, Capability.Kill, Capability.NetRaw];
        info.EffectiveCapabilities = [Capability.Kill];
        info.InheritableCapabilities = [Capability.NetBindService, Capability.NetRaw];
        info.AmbientCapabilities = [Capability.NetBindService];
        Assert.Equal(
            $"CapInh:\t{Mask(10, 13)}\nCapPrm:\t{Mask(10)}\nCapEff:\t{Mask(10)}\nCapBnd:\t{Mask(10, 5, 0, 13)}\nCapAmb:\t{Mask(10)}\n",
            await Spawn.OutputAsync(info));

        // As root the kernel grants the whole bounding set on execve (capabilities(7), "root"): the sets given
        // still decide inheritable, ambient and bounding.
        info.UserId = 0;
        info.GroupId = 0;
        Assert.Equal(
            $"CapInh:\t{Mask(10, 13)}\nCapPrm:\t{Mask(10, 5, 0, 13)}\nCapEff:\t{Mask(10, 5, 0, 13)}\nCapBnd:\t{Mask(10, 5, 0, 13)}\nCapAmb:\t{Mask(10)}\n",
            await Spawn.OutputAsync(info));
    }

    private static string Mask(params int[] bits) => bits.Aggregate(0UL, (m, b) => m | (1UL << b)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void RlimitTheKernelRefusesIsNamed()
    {
        Privileged.Require();
        // Above fs.nr_open no process may have a hard RLIMIT_NOFILE, capabilities or not.
        ulong nrOpen = ulong.Parse(File.ReadAllText("/proc/sys/fs/nr_open").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var info = new IsolatedProcessStartInfo("/bin/true");
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.OpenFiles, nrOpen + 1, nrOpen + 1));
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info).Dispose());
        Assert.Equal(SpawnStep.SetResourceLimit, e.Step);
        Assert.Contains("RLIMIT_NOFILE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartGateThatIsNotAFifoIsRefused()
    {
        string file = Path.GetTempFileName();
        try
        {
            var info = new IsolatedProcessStartInfo("/bin/true") { StartGatePath = file };
            var e = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
            Assert.Contains("not a FIFO", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Mounts without a mount namespace of the process's own are refused unless asked for; asked for
    /// (AllowMountsInCallerNamespace, an OCI config without a mount namespace) they are made in the caller's mount
    /// namespace under the root, chroot'ed into, and stay. Made under a temporary root and unmounted here.
    /// </summary>
    [Fact]
    public async Task MountsInTheCallersNamespaceOnlyWhenAskedFor()
    {
        Privileged.Require();
        using var root = new TestRootFs();
        IsolatedProcessStartInfo info = Spawn.BusyboxSh("readlink /proc/self/ns/mnt; cat /etc/lxi-rootfs; grep -c ' /tmp [^ ]* - tmpfs ' /proc/self/mountinfo");
        info.RootDirectory = root.Path;
        info.RootChange = RootChange.Chroot;
        info.BindMountRoot = false;
        info.Mounts.Add(IsolatedMount.Proc());
        info.Mounts.Add(IsolatedMount.Tmpfs("/tmp"));
        var refused = Assert.Throws<ArgumentException>(() => IsolatedProcess.Start(info));
        Assert.Contains("AllowMountsInCallerNamespace", refused.Message, StringComparison.Ordinal);

        info.AllowMountsInCallerNamespace = true;
        try
        {
            string[] lines = (await Spawn.OutputAsync(info)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(new FileInfo("/proc/self/ns/mnt").LinkTarget, lines[0]);
            Assert.Equal("rootfs marker", lines[1]);
            Assert.Equal("1", lines[2]);
            string[] ours = File.ReadAllLines("/proc/self/mountinfo").Where(l => l.Split(' ')[4].StartsWith(root.Path + "/", StringComparison.Ordinal)).Select(l => l.Split(' ')[4]).ToArray();
            Assert.Equal(new[] { root.Path + "/proc", root.Path + "/tmp" }, ours.Order().ToArray());
        }
        finally
        {
            foreach (string target in new[] { root.Path + "/tmp", root.Path + "/proc" })
            {
                umount2(target, 2 /* MNT_DETACH */);
            }
        }

        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(root.Path, StringComparison.Ordinal));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int umount2(string target, int flags);
}

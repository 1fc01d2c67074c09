using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Cgroups;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// <see cref="IsolatedProcess.Start"/> made to fail at each step of the native spawn (the spec's fail_step test
/// hook: ECANCELED just before that step's system call). After each failure: no process in the spawn's cgroup, no
/// zombie child, the same descriptors and mount table as before.
/// </summary>
[Collection(FaultCollection.Name)]
public partial class SpawnFaultTests
{
    /// <summary>Every step; each is reached by one of the configurations below.</summary>
    public static TheoryData<int> AllSteps()
    {
        var data = new TheoryData<int>();
        foreach (SpawnStep step in Enum.GetValues<SpawnStep>().Where(s => s != SpawnStep.None))
        {
            data.Add((int)step);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllSteps))]
    public void FailureAtEachStepLeavesNoChildNoZombieNoDescriptorNoMount(int stepNumber)
    {
        var step = (SpawnStep)stepNumber;
        using var world = new World();
        IsolatedProcessStartInfo info = world.InfoFor(step);
        info.FailAtStep = step;
        ProcessState before = ProcessState.Capture();

        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info).Dispose());
        Assert.Equal(step, e.Step);
        Assert.Equal("ECANCELED", e.ErrorName);
        Assert.Contains($"step {step} failed; undone:", e.Message, StringComparison.Ordinal);
        Assert.Equal(true, e.Data[MultiStepOperationData.Undone]);
        Assert.Equal(step.ToString(), e.Data[MultiStepOperationData.Step]);

        world.AssertCgroupEmpty();
        ProcessState.Capture().AssertUnchangedSince(before);
    }

    [Theory]
    [InlineData("full")]
    [InlineData("fallback")]
    [InlineData("user")]
    [InlineData("chroot")]
    [InlineData("pid-join")]
    [InlineData("gate")]
    public async Task EachConfigurationRunsWithoutAFault(string configuration)
    {
        using var world = new World();
        IsolatedProcessStartInfo info = configuration switch
        {
            "fallback" => world.InfoFor(SpawnStep.CgroupPlacement),
            "user" => world.InfoFor(SpawnStep.UidMap),
            "chroot" => world.InfoFor(SpawnStep.Chroot),
            "pid-join" => world.InfoFor(SpawnStep.JoinPidNamespace),
            "gate" => world.InfoFor(SpawnStep.StartGate),
            _ => world.InfoFor(SpawnStep.PivotRoot),
        };
        using IsolatedProcess p = IsolatedProcess.Start(info);
        if (info.StartGatePath is not null)
        {
            Assert.True(p.IsWaitingAtStartGate);
            Assert.True(IsolatedProcess.ReleaseStartGate(info.StartGatePath));
        }

        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(0, status.ExitCode);
    }

    /// <summary>
    /// A rootfs, a cgroup of the test's own, a named network namespace to join, a PID namespace to join (its init
    /// sleeps) and a FIFO for the start gate.
    /// </summary>
    private sealed partial class World : IDisposable
    {
        private readonly TestRootFs _root;
        private readonly TestCgroup _cgroup;
        private readonly string _netns = NsTool.UniqueName("spawn");
        private IsolatedProcess? _pidNamespaceHolder;

        public World()
        {
            Privileged.Require();
            _root = new TestRootFs();
            try
            {
                _cgroup = new TestCgroup();
                NetworkNamespace.CreateNamed(_netns).Dispose();
                _pidNamespaceHolder = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "1000") { NewNamespaces = NamespaceFlags.Pid });
                if (mkfifo(GatePath, 0x180) != 0)
                {
                    throw new IOException($"mkfifo {GatePath}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>A configuration that reaches <paramref name="step"/>.</summary>
        public IsolatedProcessStartInfo InfoFor(SpawnStep step)
        {
            IsolatedProcessStartInfo info = Spawn.BusyboxSh("true");
            info.CgroupPath = _cgroup.Group.Path;
            switch (step)
            {
                case SpawnStep.CgroupPlacement or SpawnStep.WaitParent:
                    // clone + a sync pipe + cgroup.procs written by the parent while the child waits.
                    info = Spawn.Sh("true");
                    info.CgroupPath = _cgroup.Group.Path;
                    info.ForceCloneFallback = true;
                    return info;
                case SpawnStep.SetGroupsFile or SpawnStep.UidMap or SpawnStep.GidMap:
                    info = Spawn.Sh("true");
                    info.CgroupPath = _cgroup.Group.Path;
                    info.NewNamespaces = NamespaceFlags.User;
                    info.DenySetGroups = true;
                    info.UserIdMappings.Add(new IdMapping(0, 200000, 1000));
                    info.GroupIdMappings.Add(new IdMapping(0, 200000, 1000));
                    return info;
                case SpawnStep.Chroot:
                    info.NewNamespaces = NamespaceFlags.Mount;
                    info.RootDirectory = _root.Path;
                    info.RootChange = RootChange.Chroot;
                    return info;
                case SpawnStep.JoinPidNamespace:
                    // exec into a running container: the parent enters the container's PID namespace around clone.
                    info = Spawn.Sh("true");
                    info.CgroupPath = _cgroup.Group.Path;
                    info.JoinNamespaces.Add(NamespaceJoin.FromPath(NamespaceFlags.Pid, $"/proc/{_pidNamespaceHolder!.Id}/ns/pid"));
                    return info;
                case SpawnStep.StartGate:
                    // create/start: the process waits at a FIFO until released.
                    info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid;
                    info.RootDirectory = _root.Path;
                    info.AddContainerDefaults();
                    info.StartGatePath = GatePath;
                    return info;
            }

            // The full container: every namespace, a joined network namespace, pivot_root into a bind-mounted
            // read-only root with /proc, /dev, /sys, a tmpfs and a read-only bind, masked and read-only paths,
            // names, ids, capabilities, no_new_privs, a parent-death signal, rlimits, piped stdio and the init.
            info.NewNamespaces = NamespaceFlags.Mount | NamespaceFlags.Pid | NamespaceFlags.Uts | NamespaceFlags.Ipc | NamespaceFlags.Cgroup;
            info.JoinNamespaces.Add(NamespaceJoin.NetworkNamespace(_netns));
            info.RootDirectory = _root.Path;
            info.ReadOnlyRoot = true;
            info.AddContainerDefaults();
            info.Mounts.Add(IsolatedMount.Tmpfs("/tmp"));
            info.Mounts.Add(IsolatedMount.Bind(Path.Combine(_root.Path, "etc"), "/data", readOnly: true));
            info.HostName = "faulty";
            info.DomainName = "faulty.test";
            info.WorkingDirectory = "/tmp";
            info.UserId = 1000;
            info.GroupId = 1000;
            info.SupplementaryGroups.Add(1001);
            info.KeepCapabilities = [Capability.NetBindService];
            info.NoNewPrivileges = true;
            info.ParentDeathSignal = 9;
            info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.OpenFiles, 1024, 1024));
            info.StandardOutput = ProcessStdio.Null;
            info.Terminal = true;
            info.TerminalSize = (24, 80);
            info.Umask = 0x12; // 022
            info.OomScoreAdjustment = 100;
            info.Sysctls["kernel.msgmax"] = "12345"; // per IPC namespace
            info.UseInit = true;
            // An allow-everything seccomp filter with a listener: "ret SECCOMP_RET_ALLOW", NEW_LISTENER.
            info.SeccompInstructions = [0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x7f];
            info.SeccompFlags = 8;
            return info;
        }

        /// <summary>No process is in the spawn's cgroup (cgroup.procs empty, cgroup.events "populated 0").</summary>
        public void AssertCgroupEmpty()
        {
            Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(_cgroup.Group.Path, "cgroup.procs")));
            Assert.Contains("populated 0", File.ReadAllText(Path.Combine(_cgroup.Group.Path, "cgroup.events")), StringComparison.Ordinal);
        }

        private string GatePath => System.IO.Path.Combine(_root.Path, "tmp", "gate");

        public void Dispose()
        {
            try
            {
                if (_pidNamespaceHolder is not null)
                {
                    _pidNamespaceHolder.Kill(9);
                    _pidNamespaceHolder.WaitForExitAsync().Wait(Spawn.Timeout);
                    _pidNamespaceHolder.Dispose();
                }

                NsTool.DeleteNamespaceIfPresent(_netns);
            }
            finally
            {
                try
                {
                    _cgroup?.Dispose();
                }
                finally
                {
                    _root.Dispose();
                }
            }
        }

        [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        private static partial int mkfifo(string path, uint mode);
    }
}

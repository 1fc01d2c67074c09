using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using LinuxIsolation.Seccomp;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Processes;
using LinuxIsolation.Tests.Security;
using Xunit;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>
/// Filters installed by a real spawn: the probe lxi-syscall.c (built static once per run) makes one raw call and
/// prints "ok RET" or "errno N". Privileged (root), as the other spawn tests; x86_64 numbers.
/// </summary>
public class SeccompSpawnTests
{
    private const int SysMkdir = 83, SysGetppid = 110, SysUnshare = 272, SysKeyctl = 250, SysAddKey = 248, SysBpf = 321, SysMount = 165, SysPersonality = 135, SysSocket = 41;
    private const long X32Bit = 0x40000000;
    private const int SIGSYS = 31;

    private static readonly Lazy<string> s_probe = new(BuildProbe, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string BuildProbe()
    {
        string source = Path.Combine(NativeLibraryTests.RepositoryRoot(), "tests", "LinuxIsolation.Tests", "Seccomp", "lxi-syscall.c");
        string output = Path.Combine(AppContext.BaseDirectory, $"lxi-syscall-{Environment.ProcessId}");
        NsTool.Run("gcc", "-static", "-O2", "-Wall", "-Werror", "-o", output, source);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(output);
        return output;
    }

    private static IsolatedProcessStartInfo Probe(SeccompFilter filter, params object[] args)
    {
        var info = new IsolatedProcessStartInfo(s_probe.Value, Array.ConvertAll(args, a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!))
        {
            NoNewPrivileges = true,
            Seccomp = filter,
        };
        return info;
    }

    private static void RequireX64()
    {
        Privileged.Require();
        Assert.True(SeccompSyscalls.NativeArchitecture == SeccompArchitecture.X86_64, "these tests use x86_64 call numbers");
    }

    [Fact]
    public async Task ADeniedCallReturnsTheErrnoAsked()
    {
        RequireX64();
        string dir = Path.Combine(Path.GetTempPath(), $"lxi-seccomp-{Environment.ProcessId}-mkdir");
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.Errno(1), "mkdir");
        filter.Add(SeccompAction.Errno(95), "unshare"); // EOPNOTSUPP: not what the kernel itself would say
        Assert.Equal("errno 1", (await Spawn.OutputAsync(Probe(filter, SysMkdir, "s:" + dir, 0x1ed))).Trim());
        Assert.False(Directory.Exists(dir));
        Assert.Equal("errno 95", (await Spawn.OutputAsync(Probe(filter, SysUnshare, 0x20000))).Trim());

        // The same calls without the filter: mkdir works (root), so the EPERM above was the filter's.
        Assert.Equal("ok 0", (await Spawn.OutputAsync(Probe(new SeccompFilter(SeccompAction.Allow), SysMkdir, "s:" + dir, 0x1ed))).Trim());
        Directory.Delete(dir);
    }

    [Fact]
    public async Task WithoutNoNewPrivilegesTheFilterIsInstalledWithTheCallersCapabilities()
    {
        RequireX64();
        // Installed before the capabilities are dropped (CAP_SYS_ADMIN is still there), so the steps after it run
        // under it: they must be allowed, as Docker's profile allows them.
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.Errno(1), "mkdir");
        IsolatedProcessStartInfo info = Probe(filter, SysMkdir, "s:/lxi-no-nnp", 0x1ed);
        info.NoNewPrivileges = false;
        info.KeepCapabilities = [.. Capabilities.ContainerDefaults];
        Assert.Equal("errno 1", (await Spawn.OutputAsync(info)).Trim());
        Assert.Contains("NoNewPrivs:\t0", await Spawn.OutputAsync(new IsolatedProcessStartInfo("/bin/cat", "/proc/self/status") { Seccomp = filter }), StringComparison.Ordinal);

        IsolatedProcessStartInfo docker = Probe(SeccompProfiles.DockerDefault, SysUnshare, 0x10000000);
        docker.NoNewPrivileges = false;
        docker.KeepCapabilities = [.. Capabilities.ContainerDefaults];
        Assert.Equal("errno 1", (await Spawn.OutputAsync(docker)).Trim());
    }

    [Fact]
    public async Task AProfileOlderThanTheSpawnsOwnCallsDoesNotStopTheSpawn()
    {
        RequireX64();
        // The OCI validation suite's profile (2019) names neither close_range (5.9) nor openat2 (5.6), and its default
        // is EPERM. Without no_new_privs the filter goes in while the capabilities are still there, so the steps
        // after it run under it: the spawn's descriptor closing, its working directory and program lookups (the
        // calls this profile refuses) must all have happened before it. A container in a root of its own, with
        // mounts, a working directory and a descriptor passed, as the suite's runtimetest is started.
        using var world = new AttackWorld();
        File.Copy(s_probe.Value, Path.Combine(world.Root.Path, "bin", "lxi-syscall"));
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.Errno(1), "close_range");
        filter.Add(SeccompAction.Errno(1), "openat2");
        IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-syscall", Convert.ToString(SysGetppid, System.Globalization.CultureInfo.InvariantCulture)!);
        info.WorkingDirectory = "/bin";
        info.NoNewPrivileges = false;
        info.Seccomp = filter;
        using (var devNull = File.OpenHandle("/dev/null"))
        {
            info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(devNull, 5));
            (ProcessExitStatus status, string output, string error) = await Spawn.RunAsync(info);
            Assert.True(status.ExitCode == 0, $"{status}: {output} {error}");
            Assert.Equal("ok 0", output.Trim()); // getppid in a new pid namespace: 0
        }

        // And the filter was in place for the payload: close_range from inside is refused with its EPERM.
        IsolatedProcessStartInfo inside = world.Untrusted("/bin/lxi-syscall", "436", "3", "3", "0");
        inside.NoNewPrivileges = false;
        inside.Seccomp = filter;
        Assert.Equal("errno 1", (await Spawn.OutputAsync(inside)).Trim());
    }

    [Fact]
    public async Task PythonAndDotnetRunUnderDockersProfile()
    {
        RequireX64();
        // Python with threads, a socket, a subprocess and a pipe.
        const string script = "import socket, subprocess, threading; t = threading.Thread(target=lambda: None); t.start(); t.join(); "
            + "socket.socket(socket.AF_INET, socket.SOCK_STREAM).close(); print(subprocess.run(['/bin/echo', 'child'], capture_output=True).stdout.decode().strip(), 'ok')";
        var python = new IsolatedProcessStartInfo("/usr/bin/python3", "-c", script) { NoNewPrivileges = true, Seccomp = SeccompProfiles.DockerDefault };
        Assert.Equal("child ok", (await Spawn.OutputAsync(python)).Trim());

        // A .NET program (the runtime's start, JIT, GC and thread pool): OwnerCrashChild without arguments prints its usage and exits 2.
        string dll = Path.Combine(AppContext.BaseDirectory, "OwnerCrashChild.dll");
        var dotnet = new IsolatedProcessStartInfo("/usr/bin/dotnet", dll) { NoNewPrivileges = true, Seccomp = SeccompProfiles.DockerDefault };
        dotnet.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        (ProcessExitStatus status, _, string error) = await Spawn.RunAsync(dotnet);
        Assert.True(status.ExitCode == 2, $"{status}: {error}");
        Assert.StartsWith("usage: OwnerCrashChild", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillProcessEndsTheProcessWithSigsys()
    {
        RequireX64();
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.KillProcess, "getppid");
        (ProcessExitStatus status, string output, _) = await Spawn.RunAsync(Probe(filter, SysGetppid));
        Assert.Equal(SIGSYS, status.Signal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task TheX32NumberOfADeniedCallIsRefused()
    {
        RequireX64();
        // A filter for x86_64 alone: an x32 number (the x86_64 ABI with __X32_SYSCALL_BIT) is another ABI's call
        // and gets the bad-architecture action, so "unshare | 0x40000000" cannot slip past the unshare rule.
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.Errno(1), "unshare");
        (ProcessExitStatus status, _, _) = await Spawn.RunAsync(Probe(filter, X32Bit | SysUnshare, 0x10000000));
        Assert.Equal(SIGSYS, status.Signal);

        // Docker's profile covers x32 with the same list: refused with EPERM.
        Assert.Equal("errno 1", (await Spawn.OutputAsync(Probe(SeccompProfiles.DockerDefault, X32Bit | SysUnshare, 0x10000000))).Trim());
    }

    [Fact]
    public async Task AUserNotificationIsDeliveredAndItsAnswerSeen()
    {
        RequireX64();
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.UserNotify, "mkdir");
        IsolatedProcessStartInfo info = Probe(filter, SysMkdir, "s:/lxi-notified", 0x1c0);
        info.StandardOutput = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        Assert.True(p.TryTakeSeccompNotifier(out SeccompNotifier? notifier));
        Assert.False(p.TryTakeSeccompNotifier(out _));
        using (notifier)
        {
            Task<SeccompNotification> received = Task.Run(() =>
                notifier.TryReceive(Spawn.Timeout, out SeccompNotification n) ? n : throw new TimeoutException("no notification"));
            SeccompNotification n = await received.WaitAsync(Spawn.Timeout);
            Assert.Equal("mkdir", n.SyscallName);
            Assert.Equal(SysMkdir, n.SyscallNumber);
            Assert.Equal(0xc000003eu, n.AuditArchitecture);
            Assert.Equal(p.Id, n.ProcessId);
            Assert.Equal(0x1c0ul, n.GetArgument(1));
            Assert.True(notifier.IsValid(n.Id));
            Assert.True(notifier.Return(n.Id, 4242));
            Assert.False(notifier.IsValid(n.Id));

            using var reader = new StreamReader(p.StandardOutput!);
            Assert.Equal("ok 4242", (await reader.ReadToEndAsync().WaitAsync(Spawn.Timeout)).Trim());
            Assert.Equal(0, (await p.WaitForExitAsync().WaitAsync(Spawn.Timeout)).ExitCode);
            Assert.False(Directory.Exists("/lxi-notified"));
            Assert.False(notifier.TryReceive(TimeSpan.FromSeconds(5), out _));
            Assert.True(notifier.HasEnded);
        }
    }

    [Fact]
    public async Task AFailedNotificationIsSeenAsItsErrno()
    {
        RequireX64();
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.UserNotify, "getppid");
        IsolatedProcessStartInfo info = Probe(filter, SysGetppid);
        info.StandardOutput = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        Assert.True(p.TryTakeSeccompNotifier(out SeccompNotifier? notifier));
        using (notifier)
        {
            SeccompNotification n = await Task.Run(() => notifier.TryReceive(Spawn.Timeout, out SeccompNotification x) ? x : throw new TimeoutException()).WaitAsync(Spawn.Timeout);
            Assert.Equal("getppid", n.SyscallName);
            Assert.True(notifier.Fail(n.Id, 61)); // ENODATA
            using var reader = new StreamReader(p.StandardOutput!);
            Assert.Equal("errno 61", (await reader.ReadToEndAsync().WaitAsync(Spawn.Timeout)).Trim());
        }
    }

    [Fact]
    public async Task ADockerDefaultContainerCannotReachTheKernelsRiskyCalls()
    {
        RequireX64();
        using var world = new AttackWorld();
        string probe = Path.Combine(world.Root.Path, "bin", "lxi-syscall");
        File.Copy(s_probe.Value, probe);

        async Task<string> Run(bool seccomp, params object[] args)
        {
            IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-syscall", Array.ConvertAll(args, a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!));
            Assert.Same(SeccompProfiles.DockerDefault, info.Seccomp);
            if (!seccomp)
            {
                info.Seccomp = null;
            }

            return (await Spawn.OutputAsync(info)).Trim();
        }

        // Refused by the profile; where the kernel alone would have let the call through, the second line shows it.
        Assert.Equal("errno 1", await Run(true, SysUnshare, 0x10000000));                    // unshare(CLONE_NEWUSER)
        Assert.Equal("ok 0", await Run(false, SysUnshare, 0x10000000));
        Assert.Equal("errno 1", await Run(true, SysKeyctl, 0, -3, 0));                     // keyctl(GET_KEYRING_ID, @s)
        Assert.StartsWith("ok ", await Run(false, SysKeyctl, 0, -3, 0), StringComparison.Ordinal);
        Assert.Equal("errno 1", await Run(true, SysAddKey, "s:user", "s:lxi", "s:x", 1, -3)); // add_key(user, lxi, "x", @s)
        Assert.StartsWith("ok ", await Run(false, SysAddKey, "s:user", "s:lxi", "s:x", 1, -3), StringComparison.Ordinal);
        Assert.Equal("errno 1", await Run(true, SysPersonality, 0x0400000));                // READ_IMPLIES_EXEC
        Assert.StartsWith("ok ", await Run(false, SysPersonality, 0x0400000), StringComparison.Ordinal);
        Assert.Equal("errno 1", await Run(true, SysSocket, 40, 1, 0));                      // AF_VSOCK
        Assert.NotEqual("errno 1", await Run(false, SysSocket, 40, 1, 0));
        // Refused by the profile (and by the capability set too: EPERM either way).
        Assert.Equal("errno 1", await Run(true, SysBpf, 0, 0, 0));                          // bpf(BPF_MAP_CREATE)
        Assert.Equal("errno 1", await Run(true, SysMount, "s:none", "s:/tmp", "s:tmpfs", 0, 0));
        Assert.StartsWith("ok ", await Run(true, SysPersonality, 0xffffffff), StringComparison.Ordinal); // a query is allowed

        // And ordinary programs run.
        IsolatedProcessStartInfo sh = world.Untrusted("/bin/sh", "-c", "echo ok; ls /");
        string output = await Spawn.OutputAsync(sh);
        Assert.StartsWith("ok\n", output, StringComparison.Ordinal);
        Assert.Contains("etc", output, StringComparison.Ordinal);
        Assert.Contains("lxi-syscall", await Spawn.OutputAsync(world.Untrusted("/bin/ls", "/bin")), StringComparison.Ordinal);
        Assert.Contains("Seccomp:\t2", await Spawn.OutputAsync(world.Untrusted("/bin/cat", "/proc/self/status")), StringComparison.Ordinal);
    }
}

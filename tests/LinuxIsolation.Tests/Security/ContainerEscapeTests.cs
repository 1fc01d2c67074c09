using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using LinuxIsolation.Netlink;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Security;

/// <summary>
/// Attacks on a container made with <see cref="IsolatedProcessStartInfo.AddUntrustedDefaults"/>, the way the
/// published runc and crun escapes did them; each test names the CVE or class it covers and asserts that the
/// attack is stopped. The payload is root inside the container (with Docker's default capabilities, CAP_MKNOD
/// among them). Every one of these got through on e5f8d05.
/// </summary>
public partial class ContainerEscapeTests
{
    /// <summary>runc CVE-2024-21626: a working directory of "/proc/self/fd/N", N a directory the caller holds open.</summary>
    [Fact]
    public async Task WorkingDirectoryThroughACallerDescriptorIsRefused_CVE_2024_21626()
    {
        using var world = new AttackWorld();
        string secretDir = Directory.CreateTempSubdirectory($"lxi-secret-{Environment.ProcessId}-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(secretDir, "secret"), "host secret\n");
            using SafeFileDescriptor held = OpenDirectory(secretDir);
            IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-attack", "readfile", "secret");
            info.WorkingDirectory = $"/proc/self/fd/{held.DangerousFileDescriptor}";
            var e = await Assert.ThrowsAsync<IsolatedProcessException>(() => AttackWorld.AttackAsync(info));
            Assert.Equal(SpawnStep.ChangeDirectory, e.Step);
            // The descriptor is closed in the child before any path is looked at: there is nothing at fd N.
            Assert.True(e.ErrorName is "ENOENT" or "ELOOP", e.Message);

            // The library's own cgroup descriptor (CLONE_INTO_CGROUP) and the caller's are gone too: the payload
            // sees only its standard streams (and the directory ls reads).
            using SafeFileDescriptor cgroupHeld = OpenDirectory(world.Cgroup.Group.Path);
            string fds = await Spawn.OutputAsync(world.Untrusted("/bin/ls", "/proc/self/fd"));
            Assert.Subset(new HashSet<string> { "0", "1", "2", "3" }, fds.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet());
        }
        finally
        {
            Directory.Delete(secretDir, recursive: true);
        }
    }

    /// <summary>runc CVE-2024-21626, through the image: a symlink in the root file system to "/proc/self/fd/N" used as the working directory.</summary>
    [Fact]
    public async Task WorkingDirectoryThroughAnImageSymlinkToProcFdIsRefused_CVE_2024_21626()
    {
        using var world = new AttackWorld();
        using SafeFileDescriptor held = OpenDirectory("/etc");
        File.CreateSymbolicLink(Path.Combine(world.Root.Path, "work"), $"/proc/self/fd/{held.DangerousFileDescriptor}");
        IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-attack", "readfile", "hostname");
        info.WorkingDirectory = "/work";
        var e = await Assert.ThrowsAsync<IsolatedProcessException>(() => AttackWorld.AttackAsync(info));
        Assert.Equal(SpawnStep.ChangeDirectory, e.Step);
        Assert.True(e.ErrorName is "ENOENT" or "ELOOP", e.Message); // fd N is closed; were it open, it is a magic link

        // A magic link that does exist (/proc/1/root: the host's root, were /proc the host's) is refused as one.
        File.CreateSymbolicLink(Path.Combine(world.Root.Path, "hostroot"), "/proc/1/root/etc");
        info = world.Untrusted("/bin/lxi-attack", "readfile", "hostname");
        info.WorkingDirectory = "/hostroot";
        e = await Assert.ThrowsAsync<IsolatedProcessException>(() => AttackWorld.AttackAsync(info));
        Assert.Equal(SpawnStep.ChangeDirectory, e.Step);
        Assert.Equal("ELOOP", e.ErrorName);
        Assert.Contains("magic link", e.Message, StringComparison.Ordinal);

        // A symlink that climbs out with ".." stays inside the root (RESOLVE_IN_ROOT), and getcwd agrees.
        File.CreateSymbolicLink(Path.Combine(world.Root.Path, "up"), "../../../../../../..");
        IsolatedProcessStartInfo pwd = world.Untrusted("/bin/pwd");
        pwd.WorkingDirectory = "/up";
        Assert.Equal("/", (await Spawn.OutputAsync(pwd)).Trim());
    }

    /// <summary>runc CVE-2024-21626, the program: an image symlink through "/proc/self/fd/N" to a host binary.</summary>
    [Fact]
    public async Task ProgramThroughAnImageSymlinkToProcFdIsRefused_CVE_2024_21626()
    {
        using var world = new AttackWorld();
        using SafeFileDescriptor hostBin = OpenDirectory("/usr/bin");
        File.CreateSymbolicLink(Path.Combine(world.Root.Path, "bin", "evil"), $"/proc/self/fd/{hostBin.DangerousFileDescriptor}/id");
        var e = await Assert.ThrowsAsync<IsolatedProcessException>(() => AttackWorld.AttackAsync(world.Untrusted("/bin/evil")));
        Assert.Equal(SpawnStep.ResolveProgram, e.Step);
        Assert.True(e.ErrorName is "ELOOP" or "ENOENT", e.Message);
    }

    /// <summary>Host block devices: mknod of a host disk's numbers, then reading it (the class of every "privileged device" escape).</summary>
    [Fact]
    public async Task HostBlockDeviceCannotBeMadeOrRead()
    {
        using var world = new AttackWorld();
        using var loop = new ReadOnlyLoopDevice("lxi host disk marker");
        foreach (string where in new[] { "/dev/disk0", "/tmp/disk0", "/data/disk0" })
        {
            IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-attack", "mknod-read", where, "b", loop.Major.ToString(), loop.Minor.ToString());
            info.Mounts.Add(IsolatedMount.Tmpfs("/tmp"));
            string line = await AttackWorld.AttackAsync(info);
            Assert.Equal("mknod: EPERM", line);
        }

        // The allowed devices still work.
        Assert.Equal("readfile: ok", await AttackWorld.AttackAsync(world.Untrusted("/bin/lxi-attack", "readfile", "/dev/null")));

        // Without the device rules, nodev still keeps a node in the image's own tree from being opened.
        IsolatedProcessStartInfo noRules = world.Untrusted("/bin/lxi-attack", "mknod-read", "/data/disk1", "b", loop.Major.ToString(), loop.Minor.ToString());
        noRules.DeviceRules = null;
        world.Cgroup.Group.ClearDeviceRules();
        Assert.Equal("open: EACCES", await AttackWorld.AttackAsync(noRules));
    }

    /// <summary>
    /// PID 1 as a copy of the orchestrator: /proc/1/exe, environ and mem, ptrace of PID 1, the runtime binary
    /// opened for writing through /proc/1/exe (runc CVE-2019-5736) and shared double-mapped code.
    /// </summary>
    [Fact]
    public async Task InitIsNotACopyOfTheCaller_CVE_2019_5736()
    {
        using var world = new AttackWorld();
        foreach (string[] attack in new[]
        {
            new[] { "readfile", "/proc/1/environ" },
            new[] { "readfile", "/proc/1/mem" },
            new[] { "readlink", "/proc/1/exe" },
            new[] { "openw", "/proc/1/exe" },
            new[] { "ptrace", "1" },
        })
        {
            IsolatedProcessStartInfo info = world.Untrusted("/bin/lxi-attack", attack);
            info.UseInit = true;
            string line = await AttackWorld.AttackAsync(info);
            Assert.DoesNotContain(": ok", line, StringComparison.Ordinal);
            Assert.Contains(line.Split(": ")[1], new[] { "EACCES", "EPERM" });
        }

        // Seen from the host: PID 1 runs a sealed memfd with the payload's environment, nothing of the caller's.
        IsolatedProcessStartInfo sleeper = world.Untrusted("/bin/sleep", "30");
        sleeper.UseInit = true;
        sleeper.Environment["MARKER"] = "payload-env";
        using IsolatedProcess p = IsolatedProcess.Start(sleeper);
        try
        {
            Assert.Equal("/memfd:lxi-init (deleted)", new FileInfo($"/proc/{p.Id}/exe").LinkTarget);
            string[] environ = File.ReadAllText($"/proc/{p.Id}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(new[] { "MARKER=payload-env", "PATH=/bin" }, environ.Order().ToArray());
            string maps = File.ReadAllText($"/proc/{p.Id}/maps");
            Assert.DoesNotContain("doublemapper", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("libcoreclr", maps, StringComparison.Ordinal);
            // Even the host's root cannot open what PID 1 runs from for writing (it is being executed, and sealed).
            int fd = Interop.open($"/proc/{p.Id}/exe", Interop.O_WRONLY | Interop.O_CLOEXEC, 0);
            int errno = Marshal.GetLastPInvokeError();
            if (fd >= 0)
            {
                Interop.close(fd);
            }

            Assert.True(fd < 0 && errno is 26 /* ETXTBSY */ or 1 /* EPERM */, $"open for writing: fd {fd}, errno {errno}");
        }
        finally
        {
            p.Kill();
            await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    /// <summary>The session keyring: a key the caller's thread holds is not readable from the container (runc gives each container its own).</summary>
    [Fact]
    public async Task CallerSessionKeysAreNotReadable()
    {
        using var world = new AttackWorld();
        string description = $"lxi-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
        byte[] secret = Encoding.ASCII.GetBytes("keyring secret");
        int key = AddKey(description, secret);
        try
        {
            // The key is there for the caller's thread (a session keyring is part of a thread's credentials, so
            // both processes are started on this thread, before any await).
            Assert.True(SearchKey(description) > 0);
            // The keyring alone is under test: the seccomp profile, which refuses keyctl outright, is taken off.
            IsolatedProcessStartInfo shared = world.Untrusted("/bin/lxi-attack", "readkey", description);
            shared.NewSessionKeyring = false;
            shared.Seccomp = null;
            Task<string> withoutNewKeyring = AttackWorld.AttackAsync(shared);
            IsolatedProcessStartInfo keyringOnly = world.Untrusted("/bin/lxi-attack", "readkey", description);
            keyringOnly.Seccomp = null;
            Task<string> defended = AttackWorld.AttackAsync(keyringOnly);
            Task<string> profile = AttackWorld.AttackAsync(world.Untrusted("/bin/lxi-attack", "readkey", description));

            // Without a new keyring the same attack reads it (the attack works); with one it finds nothing; with
            // the untrusted defaults' seccomp profile too, keyctl itself is refused.
            Assert.Equal("readkey: ok keyring secret", await withoutNewKeyring);
            Assert.Equal("readkey: ENOKEY", await defended);
            Assert.Equal("readkey: EPERM", await profile);
        }
        finally
        {
            keyctl(KEYCTL_REVOKE, key, 0, 0, 0);
            keyctl(KEYCTL_UNLINK, key, KEY_SPEC_SESSION_KEYRING, 0, 0);
        }
    }

    /// <summary>runc CVE-2021-30465 (symlink-exchange mounts): a mount target that is a symlink in the image pointing outside the root.</summary>
    [Fact]
    public async Task MountTargetSymlinkStaysInsideTheRoot_CVE_2021_30465()
    {
        using var world = new AttackWorld();
        string outside = Directory.CreateTempSubdirectory($"lxi-outside-{Environment.ProcessId}-").FullName;
        try
        {
            Directory.Delete(Path.Combine(world.Root.Path, "data"));
            File.CreateSymbolicLink(Path.Combine(world.Root.Path, "data"), outside);

            // The symlink's target does not exist inside the root: refused, nothing made on the host.
            IsolatedProcessStartInfo dangling = world.Untrusted("/bin/true");
            dangling.Mounts.Add(IsolatedMount.Bind("/etc", "/data", readOnly: true));
            var e = await Assert.ThrowsAsync<IsolatedProcessException>(() => Spawn.RunAsync(dangling));
            Assert.Equal(SpawnStep.CreateMountPoint, e.Step);
            Assert.Empty(Directory.GetFileSystemEntries(outside));

            // It exists inside the root: the bind lands there.
            Directory.CreateDirectory(world.Root.Path + outside);
            IsolatedProcessStartInfo info = world.Untrusted("/bin/sh", "-c", "grep -c ' " + outside + " ' /proc/self/mountinfo; ls /data");
            info.Mounts.Add(IsolatedMount.Bind("/etc", "/data", readOnly: true));
            string output = await Spawn.OutputAsync(info);
            // The bind landed inside the root, at ROOT/OUTSIDE (the symlink's target read inside the root), and the
            // payload sees /etc's files there; the host directory of that name got nothing.
            Assert.StartsWith("1\n", output, StringComparison.Ordinal);
            Assert.Contains("passwd", output, StringComparison.Ordinal);
            Assert.True(Directory.Exists(world.Root.Path + outside));
            Assert.Empty(Directory.GetFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    /// <summary>runc CVE-2025-31133: masked files covered with a "/dev/null" that is not the null device.</summary>
    [Theory]
    [InlineData("symlink")]
    [InlineData("file")]
    public async Task MaskingWithAFakeDevNullIsRefused_CVE_2025_31133(string kind)
    {
        using var world = new AttackWorld();
        string devNull = Path.Combine(world.Root.Path, "dev", "null");
        if (kind == "symlink")
        {
            File.CreateSymbolicLink(devNull, "/proc/sys/kernel/core_pattern");
        }
        else
        {
            File.WriteAllText(devNull, "not a device\n");
        }

        IsolatedProcessStartInfo info = world.Untrusted("/bin/true");
        // The image's own /dev (no minimal /dev mount over it), so its fake /dev/null is what masking would use.
        foreach (IsolatedMount dev in info.Mounts.Where(m => m.Kind == MountKind.Dev).ToArray())
        {
            info.Mounts.Remove(dev);
        }

        var e = await Assert.ThrowsAsync<IsolatedProcessException>(() => Spawn.RunAsync(info));
        Assert.Equal(SpawnStep.NullDevice, e.Step);
        Assert.Equal("ENODEV", e.ErrorName);
    }

    /// <summary>Writing the kernel's files: /proc/sys, /sys, /proc/sysrq-trigger (read-only paths); /proc/kcore (masked).</summary>
    [Fact]
    public async Task KernelFilesCannotBeWritten()
    {
        using var world = new AttackWorld();
        foreach (string path in new[] { "/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger", "/sys/kernel/uevent_helper", "/sys/fs/cgroup/cgroup.procs" })
        {
            string line = await AttackWorld.AttackAsync(world.Untrusted("/bin/lxi-attack", "openw", path));
            Assert.True(line is "openw: EROFS" or "openw: ENOENT" or "openw: EACCES", $"{path}: {line}");
            Assert.DoesNotContain(": ok", line, StringComparison.Ordinal);
        }

        // Masked: /proc/keys (the host's keys, all users') reads as the empty /dev/null.
        Assert.True(File.Exists("/proc/keys"));
        Assert.Equal("readfile: ok", await AttackWorld.AttackAsync(world.Untrusted("/bin/lxi-attack", "readfile", "/proc/keys")));
    }

    /// <summary>Mount propagation: a mount made inside (even with CAP_SYS_ADMIN) must not appear in the host's mount namespace.</summary>
    [Fact]
    public async Task MountsInsideDoNotPropagateToTheHost()
    {
        using var world = new AttackWorld();
        IsolatedProcessStartInfo info = world.Untrusted("/bin/sh", "-c", "mount -t tmpfs lxi-propagation-probe /data && grep -c lxi-propagation-probe /proc/self/mountinfo");
        info.KeepCapabilities!.Add(Capability.SysAdmin);
        info.Seccomp = null; // the propagation is under test: the seccomp profile would refuse mount itself
        string before = File.ReadAllText("/proc/self/mountinfo");
        Assert.Equal("1", (await Spawn.OutputAsync(info)).Trim());
        Assert.DoesNotContain("lxi-propagation-probe", File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.DoesNotContain("lxi-propagation-probe", before, StringComparison.Ordinal);
    }

    /// <summary>Another container's memory: its processes are not visible, so neither /proc/PID/mem nor ptrace reaches them.</summary>
    [Fact]
    public async Task AnotherContainersMemoryIsNotReachable()
    {
        using var world = new AttackWorld();
        using IsolatedProcess victim = IsolatedProcess.Start(world.Untrusted("/bin/sleep", "30"));
        try
        {
            foreach (string[] attack in new[] { new[] { "readfile", $"/proc/{victim.Id}/mem" }, new[] { "ptrace", victim.Id.ToString() } })
            {
                string line = await AttackWorld.AttackAsync(world.Untrusted("/bin/lxi-attack", attack));
                Assert.True(line.EndsWith(": ENOENT", StringComparison.Ordinal) || line.EndsWith(": ESRCH", StringComparison.Ordinal), line);
            }
        }
        finally
        {
            victim.Kill();
            await victim.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }
    }

    private static SafeFileDescriptor OpenDirectory(string path)
    {
        int fd = Interop.open(path, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC, 0);
        Assert.True(fd >= 0, $"open {path}: errno {Marshal.GetLastPInvokeError()}");
        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    private const int KEY_SPEC_SESSION_KEYRING = -3;
    private const int KEYCTL_REVOKE = 3;
    private const int KEYCTL_UNLINK = 9;
    private const int KEYCTL_SEARCH = 10;

    private static unsafe int AddKey(string description, byte[] payload)
    {
        byte[] type = Encoding.ASCII.GetBytes("user\0");
        byte[] name = Encoding.ASCII.GetBytes(description + "\0");
        fixed (byte* t = type, n = name, p = payload)
        {
            long id = syscall(SysAddKey, (nint)t, (nint)n, (nint)p, payload.Length, KEY_SPEC_SESSION_KEYRING);
            Assert.True(id > 0, $"add_key: errno {Marshal.GetLastPInvokeError()}");
            return (int)id;
        }
    }

    private static unsafe long SearchKey(string description)
    {
        byte[] type = Encoding.ASCII.GetBytes("user\0");
        byte[] name = Encoding.ASCII.GetBytes(description + "\0");
        fixed (byte* t = type, n = name)
        {
            return syscall(SysKeyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, (nint)t, (nint)n, 0);
        }
    }

    private static long keyctl(int operation, long a, long b, long c, long d) => syscall(SysKeyctl, operation, (nint)a, (nint)b, (nint)c, (nint)d);

    // add_key(2) and keyctl(2) are in libkeyutils, not libc: through syscall(2).
    private static long SysAddKey => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 217 : 248;

    private static long SysKeyctl => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 219 : 250;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, nint a, nint b, nint c, nint d, nint e);

    /// <summary>A read-only loop device over a file of the test's own (losetup -r), detached on dispose.</summary>
    private sealed class ReadOnlyLoopDevice : IDisposable
    {
        private readonly string _file;

        public ReadOnlyLoopDevice(string marker)
        {
            _file = Path.Combine(Path.GetTempPath(), $"lxi-loop-{Environment.ProcessId}-{Guid.NewGuid():N}");
            byte[] content = new byte[64 * 1024];
            Encoding.ASCII.GetBytes(marker + "\n").CopyTo(content, 0);
            File.WriteAllBytes(_file, content);
            Device = NsTool.Run("losetup", "--find", "--show", "--read-only", _file).Trim();
            string[] numbers = File.ReadAllText($"/sys/class/block/{Path.GetFileName(Device)}/dev").Trim().Split(':');
            Major = int.Parse(numbers[0]);
            Minor = int.Parse(numbers[1]);
        }

        public string Device { get; }

        public int Major { get; }

        public int Minor { get; }

        public void Dispose()
        {
            try
            {
                NsTool.Run("losetup", "--detach", Device);
            }
            finally
            {
                File.Delete(_file);
            }
        }
    }
}

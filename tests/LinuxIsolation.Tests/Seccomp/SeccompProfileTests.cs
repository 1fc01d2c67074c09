using System;
using LinuxIsolation.Processes;
using LinuxIsolation.Seccomp;
using Xunit;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>
/// The Docker default profile's meaning (run through the managed BPF interpreter), the OCI <c>linux.seccomp</c>
/// loader, and the start info's checks of a filter. Unprivileged.
/// </summary>
public class SeccompProfileTests
{
    private const uint X64 = SeccompReference.AuditArchX86_64;
    private const uint I386 = SeccompReference.AuditArchI386;
    private const uint X32Bit = 0x40000000;
    private static readonly uint Eperm = SeccompAction.Errno(1).ToKernel();
    private static readonly uint Allow = SeccompAction.Allow.ToKernel();

    private static uint Decide(SeccompFilter filter, int nr, uint arch = X64, ulong a0 = 0, ulong a1 = 0)
    {
        SeccompProgram program = filter.Compile(SeccompArchitecture.X86_64);
        BpfInterpreter.Check(program.Instructions);
        return BpfInterpreter.Run(program.Instructions, new SeccompData(nr, arch, a0, a1));
    }

    private static int Nr(string name, SeccompArchitecture architecture = SeccompArchitecture.X86_64) => SeccompSyscalls.GetNumber(architecture, name);

    [Fact]
    public void DockerDefaultAllowsOrdinaryCallsAndRefusesWhatDockerRefuses()
    {
        if (SeccompSyscalls.NativeArchitecture != SeccompArchitecture.X86_64)
        {
            return; // the profile is built for the running architecture; this test reads x86_64 numbers
        }

        SeccompFilter docker = SeccompProfiles.DockerDefault;
        Assert.Equal(SeccompAction.Errno(1), docker.DefaultAction);
        foreach (string name in new[] { "read", "write", "openat", "execve", "mmap", "futex", "exit_group", "rt_sigreturn", "wait4", "ptrace", "arch_prctl", "statx", "getrandom" })
        {
            Assert.True(Allow == Decide(docker, Nr(name)), name);
        }

        foreach (string name in new[] { "mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "kexec_load", "init_module", "reboot", "pivot_root", "chroot", "open_by_handle_at", "fsopen", "swapon", "syslog" })
        {
            Assert.True(Eperm == Decide(docker, Nr(name)), name);
        }

        // clone without namespace flags (SIGCHLD, a thread's flags) runs; with CLONE_NEWUSER or CLONE_NEWNS it does not.
        Assert.Equal(Allow, Decide(docker, Nr("clone"), a0: 17));
        Assert.Equal(Allow, Decide(docker, Nr("clone"), a0: 0x3d0f00));
        Assert.Equal(Eperm, Decide(docker, Nr("clone"), a0: 0x10000000 | 17));
        Assert.Equal(Eperm, Decide(docker, Nr("clone"), a0: 0x20000));
        Assert.Equal(SeccompAction.Errno(38).ToKernel(), Decide(docker, Nr("clone3")));
        // personality: the listed values only (0x0400000 is READ_IMPLIES_EXEC).
        Assert.Equal(Allow, Decide(docker, Nr("personality"), a0: 0xffffffff));
        Assert.Equal(Allow, Decide(docker, Nr("personality"), a0: 8));
        Assert.Equal(Eperm, Decide(docker, Nr("personality"), a0: 0x0400000));
        // socket: every family but AF_VSOCK (40).
        Assert.Equal(Allow, Decide(docker, Nr("socket"), a0: 2));
        Assert.Equal(Eperm, Decide(docker, Nr("socket"), a0: 40));
        // x32 and i386 are covered as in Docker: the same list, so their unshare is refused and read allowed.
        Assert.Equal(Eperm, Decide(docker, Nr("unshare", SeccompArchitecture.X32), a0: 0x10000000));
        Assert.Equal(Allow, Decide(docker, Nr("read", SeccompArchitecture.X32)));
        Assert.Equal(Eperm, Decide(docker, Nr("mount", SeccompArchitecture.I386), I386));
        Assert.Equal(Allow, Decide(docker, Nr("read", SeccompArchitecture.I386), I386));
        Assert.Equal(SeccompAction.KillProcess.ToKernel(), Decide(docker, 0, 0xc00000b7)); // aarch64: a foreign ABI
        Assert.True(docker.Compile().InstructionCount < 1000, docker.Compile().ToString());
    }

    [Fact]
    public void DockerDefaultIsSharedAndReadOnly()
    {
        SeccompFilter docker = SeccompProfiles.DockerDefault;
        Assert.Same(docker, SeccompProfiles.DockerDefault);
        Assert.True(docker.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => docker.DefaultAction = SeccompAction.Allow);
        Assert.Throws<NotSupportedException>(() => docker.Add(SeccompAction.Allow, "mount"));
        SeccompFilter copy = docker.Clone();
        Assert.False(copy.IsReadOnly);
        copy.Add(SeccompAction.Allow, "mount");
        Assert.Equal(docker.Rules.Count + 1, copy.Rules.Count);
    }

    [Fact]
    public void TheProgramIsCompiledOncePerUnchangedFilter()
    {
        var filter = new SeccompFilter(SeccompAction.Allow);
        filter.Add(SeccompAction.Errno(1), "mkdir");
        SeccompProgram first = filter.GetProgram();
        Assert.Same(first, filter.GetProgram());
        filter.Add(SeccompAction.Errno(1), "rmdir");
        SeccompProgram second = filter.GetProgram();
        Assert.NotSame(first, second);
        filter.Flags = SeccompFilterFlags.Log;
        Assert.NotSame(second, filter.GetProgram());
    }

    [Fact]
    public void OciJsonLoadsEveryField()
    {
        const string json = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 38,
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_ARM"],
              "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
              "syscalls": [
                { "names": ["read", "write", "no_such_call_anywhere"], "action": "SCMP_ACT_ALLOW" },
                { "names": ["cacheflush"], "action": "SCMP_ACT_ALLOW" },
                { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO" },
                { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 0, "op": "SCMP_CMP_EQ" }, { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] },
                { "names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ" } ] },
                { "names": ["lseek"], "action": "SCMP_ACT_KILL_PROCESS", "args": [ { "index": 1, "value": 1, "op": "SCMP_CMP_GE" }, { "index": 2, "value": 2, "op": "SCMP_CMP_EQ" } ] },
                { "names": ["getppid"], "action": "SCMP_ACT_NOTIFY" },
                { "names": ["kill"], "action": "SCMP_ACT_KILL" },
                { "names": ["tkill"], "action": "SCMP_ACT_TRAP" },
                { "names": ["tgkill"], "action": "SCMP_ACT_LOG" },
                { "names": ["getpid"], "action": "SCMP_ACT_TRACE", "errnoRet": 7 }
              ],
              "listenerPath": "/run/ignored.sock"
            }
            """;
        SeccompFilter filter = SeccompFilter.FromOciJson(json);
        Assert.Equal(SeccompAction.Errno(38), filter.DefaultAction);
        Assert.Equal(SeccompFilterFlags.Log | SeccompFilterFlags.SpecAllow, filter.Flags);
        if (SeccompSyscalls.NativeArchitecture == SeccompArchitecture.X86_64)
        {
            // SCMP_ARCH_ARM is another machine's: skipped; the running architecture is not listed again.
            Assert.Equal(new[] { SeccompArchitecture.I386, SeccompArchitecture.X32 }, filter.Architectures);
        }

        // "no_such_call_anywhere" dropped from its rule and "cacheflush" (arm only) dropped with its rule, as runc does.
        Assert.Equal(new[] { "read", "write" }, filter.Rules[0].Names);
        Assert.Equal("mkdir", Assert.Single(filter.Rules[1].Names));
        Assert.Equal(SeccompAction.Errno(13), filter.Rules[1].Action);
        Assert.Equal(SeccompAction.Errno(1), filter.Rules[2].Action); // ERRNO without errnoRet: EPERM
        // Two args on one index: one rule each (OR), as runc does.
        Assert.Equal(SeccompCondition.Equal(0, 0), Assert.Single(filter.Rules[3].Conditions));
        Assert.Equal(SeccompCondition.Equal(0, 8), Assert.Single(filter.Rules[4].Conditions));
        Assert.Equal(SeccompCondition.MaskedEqual(0, 0x7e020000, 0), Assert.Single(filter.Rules[5].Conditions));
        // Different indexes: one rule with both (AND).
        Assert.Equal(new[] { SeccompCondition.GreaterOrEqual(1, 1), SeccompCondition.Equal(2, 2) }, filter.Rules[6].Conditions);
        Assert.Equal(SeccompAction.UserNotify, filter.Rules[7].Action);
        Assert.Equal(SeccompAction.KillThread, filter.Rules[8].Action);
        Assert.Equal(SeccompAction.Trap, filter.Rules[9].Action);
        Assert.Equal(SeccompAction.Log, filter.Rules[10].Action);
        Assert.Equal(SeccompAction.Trace(7), filter.Rules[11].Action);
        Assert.Equal(12, filter.Rules.Count);
        Assert.True(filter.Compile().NeedsListener);
    }

    [Theory]
    [InlineData("""{ "defaultAction": "SCMP_ACT_NOPE" }""", "$.defaultAction: unknown action \"SCMP_ACT_NOPE\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW" }, { "names": ["mkdir"], "action": "ALLOW" } ] }""", "$.syscalls[1].action: unknown action \"ALLOW\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 6, "value": 1, "op": "SCMP_CMP_EQ" } ] } ] }""", "$.syscalls[0].args[0].index: 6 is above 5")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_LIKE" } ] } ] }""", "$.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_LIKE\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_Z80"] }""", "$.architectures[0]: unknown architecture \"SCMP_ARCH_Z80\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"] }""", "$.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_FAST\"")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": [], "action": "SCMP_ACT_ALLOW" } ] }""", "$.syscalls[0].names: no system call names")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 70000 }""", "$.defaultAction: errnoRet 70000 does not fit")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": "zero" } ] } ] }""", "$.syscalls[0].args[0].index")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": { } }""", "$.syscalls")]
    [InlineData("""{ "defaultAction": "SCMP_ACT_ALLOW" """, "seccomp profile: $")]
    [InlineData("""null""", "$: null instead of an object")]
    public void BadOciJsonIsRefusedWithItsPath(string json, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => SeccompFilter.FromOciJson(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartInfoRefusesAFilterTheProgramCouldNotStartUnder()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { NoNewPrivileges = true, Seccomp = new SeccompFilter(SeccompAction.KillProcess) };
        ArgumentException e = Assert.Throws<ArgumentException>(info.Validate);
        Assert.Equal("Seccomp", e.ParamName);
        Assert.Contains("refuses execve (KILL_PROCESS) and execveat (KILL_PROCESS)", e.Message, StringComparison.Ordinal);

        info.Seccomp.Add(SeccompAction.Allow, "execve");
        info.Validate();

        info.Seccomp.Add(SeccompAction.Allow, "no_such_call");
        Assert.Contains("Seccomp: Rules[1]", Assert.Throws<ArgumentException>(info.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartInfoWantsNoNewPrivilegesWithoutCapSysAdmin()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { Seccomp = new SeccompFilter(SeccompAction.Allow) };
        if (Privileged.IsRoot)
        {
            info.Validate(); // root has CAP_SYS_ADMIN: the child installs it before dropping capabilities
            return;
        }

        Assert.Contains("Set NoNewPrivileges = true", Assert.Throws<ArgumentException>(info.Validate).Message, StringComparison.Ordinal);
        info.NoNewPrivileges = true;
        info.Validate();
    }

    [Fact]
    public void UntrustedDefaultsSetTheDockerProfileUnlessOneIsSet()
    {
        var info = new IsolatedProcessStartInfo("/bin/true").AddUntrustedDefaults();
        Assert.Same(SeccompProfiles.DockerDefault, info.Seccomp);
        var own = new SeccompFilter(SeccompAction.Allow);
        var mine = new IsolatedProcessStartInfo("/bin/true") { Seccomp = own }.AddUntrustedDefaults();
        Assert.Same(own, mine.Seccomp);
    }
}

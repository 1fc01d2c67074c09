using System;
using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Seccomp;
using Xunit;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>
/// The compiler, checked with the test interpreter against <see cref="SeccompReference"/> (the model's meaning):
/// every operator on 64-bit values at and around the 32-bit halves, long jumps, the 4096-instruction limit, the
/// x32 and i386 ABIs, and the errors that name the rule.
/// </summary>
public class SeccompCompilerTests
{
    private const SeccompArchitecture X64 = SeccompArchitecture.X86_64;

    // Values at the edges of the two 32-bit halves.
    private static readonly ulong[] Edges =
    [
        0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x1_0000_0000, 0x1_0000_0001, 0x1_ffff_ffff,
        0x2_0000_0000, 0x1234_5678_9abc_def0, 0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, 0xffff_ffff_0000_0000,
        0xffff_ffff_0000_0001, 0xffff_fffe_ffff_ffff, 0xffff_ffff_ffff_fffe, 0xffff_ffff_ffff_ffff,
    ];

    /// <summary>The edges and, for a value, everything one step away in either half.</summary>
    private static IEnumerable<ulong> Around(ulong value)
    {
        var set = new HashSet<ulong>(Edges);
        foreach (ulong d in new ulong[] { 0, 1, 0x1_0000_0000 })
        {
            set.Add(value + d);
            set.Add(value - d);
        }

        set.Add(value ^ 0xffff_ffff_0000_0000);
        set.Add(value ^ 0x0000_0000_ffff_ffff);
        set.Add((value & 0xffff_ffff) | ((value + 0x1_0000_0000) & 0xffff_ffff_0000_0000));
        return set;
    }

    private static void AssertSameDecisions(SeccompFilter filter, SeccompArchitecture native, IEnumerable<SeccompData> calls)
    {
        SeccompProgram program = filter.Compile(native);
        BpfInterpreter.Check(program.Instructions);
        foreach (SeccompData data in calls)
        {
            uint expected = SeccompReference.Decide(filter, native, data);
            uint actual = BpfInterpreter.Run(program.Instructions, data);
            if (expected != actual)
            {
                Assert.Fail($"{data}: the program returns 0x{actual:x8}, the filter means 0x{expected:x8}\n{program.Disassemble()}");
            }
        }
    }

    public static TheoryData<SeccompOperator> Operators() =>
    [
        SeccompOperator.NotEqual, SeccompOperator.LessThan, SeccompOperator.LessOrEqual, SeccompOperator.Equal,
        SeccompOperator.GreaterOrEqual, SeccompOperator.GreaterThan,
    ];

    [Theory]
    [MemberData(nameof(Operators))]
    public void EveryOperatorComparesBothHalvesOfA64BitArgument(SeccompOperator op)
    {
        int openat = SeccompSyscalls.GetNumber(X64, "openat");
        foreach (ulong value in Edges)
        {
            var filter = new SeccompFilter(SeccompAction.Errno(1));
            filter.Rules.Add(new SeccompRule("openat", SeccompAction.Allow, new SeccompCondition(2, op, value)));
            AssertSameDecisions(filter, X64, Around(value).Select(a => new SeccompData(openat, SeccompReference.AuditArchX86_64, a2: a)));
        }
    }

    [Theory]
    [MemberData(nameof(Operators))]
    public void EveryOperatorComparesTheLowHalfOnI386(SeccompOperator op)
    {
        int open = SeccompSyscalls.GetNumber(SeccompArchitecture.I386, "open");
        foreach (ulong value in Edges)
        {
            var filter = new SeccompFilter(SeccompAction.Errno(1));
            filter.Architectures.Add(SeccompArchitecture.I386);
            filter.Rules.Add(new SeccompRule("open", SeccompAction.Allow, new SeccompCondition(1, op, value)));
            AssertSameDecisions(filter, X64, Around(value).Select(a => new SeccompData(open, SeccompReference.AuditArchI386, a1: a)));
        }
    }

    [Fact]
    public void MaskedEqualComparesTheMaskedValueInBothHalves()
    {
        int clone = SeccompSyscalls.GetNumber(X64, "clone");
        ulong[] masks = [0, 1, 0x7e020000, 0xffffffff, 0x1_0000_0000, 0xffff_0000_ffff_0000, 0xffff_ffff_ffff_ffff, 0x8000_0000_0000_0001];
        ulong[] values = [0, 1, 0x7e020000, 0x1_0000_0000, 0xffff_0000_0000_0000, 0x8000_0000_0000_0001, 0x1234_5678_9abc_def0];
        foreach (ulong mask in masks)
        {
            foreach (ulong value in values)
            {
                var filter = new SeccompFilter(SeccompAction.Errno(1));
                filter.Rules.Add(new SeccompRule("clone", SeccompAction.Allow, SeccompCondition.MaskedEqual(0, mask, value)));
                IEnumerable<ulong> args = Edges.Concat(values).Concat(masks).Concat(values.Select(v => v ^ mask)).Concat(values.Select(v => v | mask));
                AssertSameDecisions(filter, X64, args.Select(a => new SeccompData(clone, SeccompReference.AuditArchX86_64, a0: a)));
            }
        }
    }

    [Fact]
    public void SeveralConditionsAndRulesAreTriedInOrder()
    {
        int socket = SeccompSyscalls.GetNumber(X64, "socket");
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        filter.Rules.Add(new SeccompRule("socket", SeccompAction.Errno(22), SeccompCondition.Equal(0, 16), SeccompCondition.Equal(2, 9)));
        filter.Rules.Add(new SeccompRule("socket", SeccompAction.Allow, SeccompCondition.NotEqual(0, 16)));
        filter.Rules.Add(new SeccompRule("socket", SeccompAction.Log, SeccompCondition.GreaterOrEqual(2, 5), SeccompCondition.LessThan(2, 0x1_0000_0000)));
        filter.Rules.Add(new SeccompRule("socket", SeccompAction.Trap));
        filter.Rules.Add(new SeccompRule("socket", SeccompAction.Allow)); // after an unconditional rule: never reached
        ulong[] a0 = [0, 2, 16, 0x1_0000_0010];
        ulong[] a2 = [0, 4, 5, 9, 0xffffffff, 0x1_0000_0000];
        AssertSameDecisions(filter, X64, a0.SelectMany(x => a2.Select(z => new SeccompData(socket, SeccompReference.AuditArchX86_64, a0: x, a2: z))));
        Assert.Equal(SeccompAction.Trap.ToKernel(), BpfInterpreter.Run(filter.Compile(X64).Instructions, new SeccompData(socket, SeccompReference.AuditArchX86_64, a0: 16, a2: 1)));
    }

    [Fact]
    public void EverySyscallNumberGetsItsRuleOrTheDefault()
    {
        // A mixed profile over all of x86_64, i386 and x32: every number of each ABI (and the numbers around them).
        var filter = new SeccompFilter(SeccompAction.Errno(38));
        filter.Architectures.Add(SeccompArchitecture.I386);
        filter.Architectures.Add(SeccompArchitecture.X32);
        string[] names = SeccompSyscalls.GetNames(X64).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            SeccompAction action = (i % 5) switch { 0 => SeccompAction.Allow, 1 => SeccompAction.Errno(1), 2 => SeccompAction.Allow, 3 => SeccompAction.Log, _ => SeccompAction.Errno(38) };
            filter.Rules.Add(i % 17 == 0
                ? new SeccompRule(names[i], action, SeccompCondition.GreaterThan(0, 3))
                : new SeccompRule(names[i], action));
        }

        AssertSameDecisions(filter, X64, AllNumbers(filter));
    }

    private static IEnumerable<SeccompData> AllNumbers(SeccompFilter filter)
    {
        for (int nr = -2; nr < 1100; nr++)
        {
            foreach (ulong a0 in new ulong[] { 0, 3, 4, 0x1_0000_0000 })
            {
                yield return new SeccompData(nr, SeccompReference.AuditArchX86_64, a0: a0);
                yield return new SeccompData(nr, SeccompReference.AuditArchI386, a0: a0);
                yield return new SeccompData((int)(SeccompReference.X32Bit + (uint)nr), SeccompReference.AuditArchX86_64, a0: a0);
                yield return new SeccompData(nr, SeccompReference.AuditArchAarch64, a0: a0);
            }
        }

        foreach (int nr in new[] { int.MinValue, int.MaxValue, -1, 0x3fffffff, 0x40000000, unchecked((int)0xbfffffff), unchecked((int)0xc0000000) })
        {
            yield return new SeccompData(nr, SeccompReference.AuditArchX86_64);
            yield return new SeccompData(nr, SeccompReference.AuditArchI386);
        }
    }

    [Fact]
    public void X32CallsOfAnX86_64OnlyFilterGetTheBadArchitectureActionButMinusOneGetsTheDefault()
    {
        var filter = new SeccompFilter(SeccompAction.Errno(1)) { BadArchitectureAction = SeccompAction.KillProcess };
        filter.Add(SeccompAction.Allow, "getpid", "read", "write");
        byte[] program = filter.Compile(X64).Instructions.ToArray();
        int getpid = SeccompSyscalls.GetNumber(X64, "getpid");
        Assert.Equal(SeccompAction.Allow.ToKernel(), BpfInterpreter.Run(program, new SeccompData(getpid, SeccompReference.AuditArchX86_64)));
        Assert.Equal(SeccompAction.KillProcess.ToKernel(), BpfInterpreter.Run(program, new SeccompData(SeccompSyscalls.GetNumber(SeccompArchitecture.X32, "getpid"), SeccompReference.AuditArchX86_64)));
        Assert.Equal(SeccompAction.Errno(1).ToKernel(), BpfInterpreter.Run(program, new SeccompData(-1, SeccompReference.AuditArchX86_64)));
        Assert.Equal(SeccompAction.KillProcess.ToKernel(), BpfInterpreter.Run(program, new SeccompData(20, SeccompReference.AuditArchI386)));
        Assert.Equal(SeccompAction.KillProcess.ToKernel(), BpfInterpreter.Run(program, new SeccompData(getpid, SeccompReference.AuditArchAarch64)));
        AssertSameDecisions(filter, X64, AllNumbers(filter));
    }

    [Fact]
    public void EachAbiUsesItsOwnNumbers()
    {
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        filter.Architectures.Add(SeccompArchitecture.I386);
        filter.Architectures.Add(SeccompArchitecture.X32);
        filter.Add(SeccompAction.Allow, "getpid");
        byte[] program = filter.Compile(X64).Instructions.ToArray();
        Assert.Equal(SeccompAction.Allow.ToKernel(), BpfInterpreter.Run(program, new SeccompData(39, SeccompReference.AuditArchX86_64)));
        Assert.Equal(SeccompAction.Allow.ToKernel(), BpfInterpreter.Run(program, new SeccompData(20, SeccompReference.AuditArchI386)));
        Assert.Equal(SeccompAction.Allow.ToKernel(), BpfInterpreter.Run(program, new SeccompData(0x40000000 + 39, SeccompReference.AuditArchX86_64)));
        Assert.Equal(SeccompAction.Errno(1).ToKernel(), BpfInterpreter.Run(program, new SeccompData(39, SeccompReference.AuditArchI386))); // i386 39 is mkdir
        Assert.Equal(SeccompAction.Errno(1).ToKernel(), BpfInterpreter.Run(program, new SeccompData(20, SeccompReference.AuditArchX86_64))); // x86_64 20 is writev
    }

    [Fact]
    public void Aarch64FiltersCheckAudtiArchAarch64()
    {
        var filter = new SeccompFilter(SeccompAction.KillProcess);
        filter.Add(SeccompAction.Allow, "openat", "read", "exit_group");
        filter.Add("ioctl", SeccompAction.Errno(25), SeccompCondition.Equal(1, 0x5401));
        AssertSameDecisions(filter, SeccompArchitecture.Aarch64, AllNumbers(filter));
        Assert.Equal(SeccompAction.Allow.ToKernel(), BpfInterpreter.Run(filter.Compile(SeccompArchitecture.Aarch64).Instructions, new SeccompData(56, SeccompReference.AuditArchAarch64)));
    }

    [Fact]
    public void JumpsFartherThan255InstructionsGoThroughJa()
    {
        // 400 calls with conditional rules: the binary search's jumps cross hundreds of instructions.
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        string[] names = SeccompSyscalls.GetNames(X64).Take(300).ToArray();
        foreach (string name in names)
        {
            filter.Rules.Add(new SeccompRule(name, SeccompAction.Allow, SeccompCondition.LessOrEqual(0, 0x1_0000_0005), SeccompCondition.NotEqual(1, 7)));
        }

        SeccompProgram program = filter.Compile(X64);
        Assert.True(program.InstructionCount > 1000, program.ToString());
        Assert.Contains("   jmp ", program.Disassemble(), StringComparison.Ordinal);
        var calls = new List<SeccompData>();
        for (int nr = -1; nr < 600; nr++)
        {
            calls.Add(new SeccompData(nr, SeccompReference.AuditArchX86_64, a0: 5, a1: 6));
            calls.Add(new SeccompData(nr, SeccompReference.AuditArchX86_64, a0: 0x1_0000_0006, a1: 6));
            calls.Add(new SeccompData(nr, SeccompReference.AuditArchX86_64, a0: 0x1_0000_0005, a1: 7));
        }

        AssertSameDecisions(filter, X64, calls);
    }

    [Fact]
    public void AProgramLongerThan4096InstructionsIsRefused()
    {
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        foreach (string name in SeccompSyscalls.GetNames(X64))
        {
            filter.Rules.Add(new SeccompRule(name, SeccompAction.Allow, SeccompCondition.Equal(0, 0x1_0000_0001), SeccompCondition.Equal(1, 2), SeccompCondition.GreaterThan(2, 0x2_0000_0000)));
        }

        ArgumentException e = Assert.Throws<ArgumentException>(() => filter.Compile(X64));
        Assert.Contains("BPF_MAXINSNS", e.Message, StringComparison.Ordinal);
        Assert.Contains("4096", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownNameIsRefusedWithTheRule()
    {
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        filter.Add(SeccompAction.Allow, "read");
        filter.Add(SeccompAction.Allow, "write", "no_such_call");
        ArgumentException e = Assert.Throws<ArgumentException>(() => filter.Compile(X64));
        Assert.StartsWith("Rules[1] (write,no_such_call: ALLOW): \"no_such_call\" is not a system call on x86_64.", e.Message, StringComparison.Ordinal);

        // A name of another ABI than the ones covered: chown32 is i386's only.
        var i386Name = new SeccompFilter(SeccompAction.Errno(1)).Add(SeccompAction.Allow, "chown32");
        Assert.Contains("\"chown32\" is not a system call on x86_64", Assert.Throws<ArgumentException>(() => i386Name.Compile(X64)).Message, StringComparison.Ordinal);
        i386Name.Architectures.Add(SeccompArchitecture.I386);
        Assert.True(i386Name.Compile(X64).InstructionCount > 0);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        ArgumentOutOfRangeException index = Assert.Throws<ArgumentOutOfRangeException>(() => new SeccompCondition(6, SeccompOperator.Equal, 1));
        Assert.Contains("6 is above 5", index.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeccompCondition(0, (SeccompOperator)9, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeccompAction.Errno(4096));

        var unknownOperator = new SeccompFilter(SeccompAction.Errno(1));
        unknownOperator.Rules.Add(new SeccompRule("read", SeccompAction.Allow, default(SeccompCondition)));
        Assert.Contains("Rules[0] (read: ALLOW", Assert.Throws<ArgumentException>(() => unknownOperator.Compile(X64)).Message, StringComparison.Ordinal);

        var notifyDefault = new SeccompFilter(SeccompAction.UserNotify);
        Assert.Contains("default action", Assert.Throws<ArgumentException>(() => notifyDefault.Compile(X64)).Message, StringComparison.Ordinal);

        var flags = new SeccompFilter(SeccompAction.Errno(1)) { Flags = (SeccompFilterFlags)0x100 };
        Assert.Contains("0x100", Assert.Throws<ArgumentException>(() => flags.Compile(X64)).Message, StringComparison.Ordinal);

        var tsync = new SeccompFilter(SeccompAction.Errno(1)) { Flags = SeccompFilterFlags.Tsync };
        tsync.Add(SeccompAction.UserNotify, "mkdir");
        Assert.Contains("TSYNC_ESRCH", Assert.Throws<ArgumentException>(() => tsync.Compile(X64)).Message, StringComparison.Ordinal);
        tsync.Flags |= SeccompFilterFlags.TsyncEsrch;
        Assert.Equal(0x19u, tsync.Compile(X64).Flags);
    }

    [Fact]
    public void FlagsAndListenerAreReported()
    {
        var filter = new SeccompFilter(SeccompAction.Allow) { Flags = SeccompFilterFlags.Log | SeccompFilterFlags.SpecAllow };
        filter.Add(SeccompAction.Errno(1), "mount");
        SeccompProgram program = filter.Compile(X64);
        Assert.Equal(0x6u, program.Flags);
        Assert.False(program.NeedsListener);
        filter.Add(SeccompAction.UserNotify, "mkdir");
        program = filter.Compile(X64);
        Assert.Equal(0xeu, program.Flags);
        Assert.True(program.NeedsListener);
        Assert.Equal(program.InstructionCount * 8, program.Instructions.Length);
    }

    [Fact]
    public void ATinyFilterCompilesToTheExpectedInstructions()
    {
        // ALLOW getpid, everything else ERRNO(1). Each line: offset, code jt jf k, then the operation.
        var filter = new SeccompFilter(SeccompAction.Errno(1));
        filter.Add(SeccompAction.Allow, "getpid");
        string expected = string.Join('\n',
            " line  OP   JT   JF   K",
            "=================================",
            " 0000: 0x20 0x00 0x00 0x00000004   ld  $data[4]",                            // A = seccomp_data.arch
            " 0001: 0x15 0x00 0x07 0xc000003e   jeq 3221225534 true:0002 false:0009",     // AUDIT_ARCH_X86_64, else bad arch
            " 0002: 0x20 0x00 0x00 0x00000000   ld  $data[0]",                            // A = seccomp_data.nr
            " 0003: 0x35 0x02 0x00 0x00000028   jge 40   true:0006 false:0004",           // the intervals: [0,38] [39] [40,2^30-1] [2^30,2^32-2] [2^32-1]
            " 0004: 0x15 0x00 0x03 0x00000027   jeq 39   true:0005 false:0008",           // 0..39: one point on the default
            " 0005: 0x06 0x00 0x00 0x7fff0000   ret ALLOW",                               // 39 = getpid
            " 0006: 0x35 0x00 0x01 0x40000000   jge 1073741824 true:0007 false:0008",     // 40..0x3fffffff: the default
            " 0007: 0x15 0x00 0x01 0xffffffff   jeq 4294967295 true:0008 false:0009",     // x32 numbers: bad arch, but -1: the default
            " 0008: 0x06 0x00 0x00 0x00050001   ret ERRNO(1)",                            // the default action
            " 0009: 0x06 0x00 0x00 0x80000000   ret KILL_PROCESS",                        // the bad-architecture action
            "");
        Assert.Equal(expected, filter.Compile(X64).Disassemble());
    }
}

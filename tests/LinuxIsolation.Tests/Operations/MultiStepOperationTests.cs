using System;
using System.Runtime.CompilerServices;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Netlink;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>The step runner's annotated copies keep the failure's stack trace and data (no kernel involved).</summary>
public class MultiStepOperationTests
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailDeepInside(Exception e)
    {
        e.Data["caller key"] = 42;
        throw e;
    }

    public static TheoryData<string> Kinds() => ["syscall", "cgroup", "netlink"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheAnnotatedCopyKeepsTheOriginalStackTraceAndData(string kind)
    {
        Exception original = kind switch
        {
            "syscall" => new LinuxSyscallException(1, "mkdir", "/x"),
            "cgroup" => new CgroupException(22, "write", "/sys/fs/cgroup/x/pids.max", "abc"),
            _ => new NetlinkException(17, "RTM_NEWLINK"),
        };
        int undone = 0;
        var op = new MultiStepOperation(NullLogger.Instance, "test op", "subject");
        op.Step("make", () => { });
        op.OnUndo("the thing", "rm thing", () => undone++);
        Exception thrown = Assert.ThrowsAny<Exception>(() => op.Step("fail", () => FailDeepInside(original)));

        Assert.NotSame(original, thrown);
        Assert.Equal(original.GetType(), thrown.GetType());
        Assert.Equal(1, undone);
        Assert.Contains("step 2 (fail) failed; undone: removed the thing", thrown.Message, StringComparison.Ordinal);
        // Where it really failed comes first, then where the copy was thrown.
        string trace = thrown.StackTrace!;
        int inner = trace.IndexOf(nameof(FailDeepInside), StringComparison.Ordinal);
        int outer = trace.IndexOf("MultiStepOperation.Step", inner + 1, StringComparison.Ordinal);
        Assert.True(inner >= 0 && outer > inner, trace);
        Assert.Equal(42, thrown.Data["caller key"]);
        Assert.Equal(true, thrown.Data[MultiStepOperationData.Undone]);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Tests.Cgroups;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// <see cref="Cgroup.CreateChild(string, CgroupResources?)"/> with limits made to fail after each step, by a real
/// cause, and with its undo made to fail; checked with <c>ls</c> of the test's own subtree.
/// </summary>
[Collection(FaultCollection.Name)]
public class CgroupFaultTests
{
    // This host's v2 hierarchy has no memory/cpu/pids controllers: the limits are the controller-less core files.
    private static CgroupResources Limits => new()
    {
        Raw = new Dictionary<string, string> { ["cgroup.max.depth"] = "3", ["cgroup.max.descendants"] = "7" },
    };

    [Theory]
    [InlineData(1, "mkdir")]
    [InlineData(2, "open")]
    [InlineData(3, "check controllers")]
    [InlineData(4, "write cgroup.max.depth")]
    [InlineData(5, "write cgroup.max.descendants")]
    public void FailureAfterEachStepRemovesTheChild(int step, string stepName)
    {
        using var t = new TestCgroup();
        ProcessState before = ProcessState.Capture();
        var e = Assert.Throws<LinuxSyscallException>(() => t.Group.CreateChild("limited", Limits, new StepFault { FailAfterStep = step }));
        Assert.Equal("ECANCELED", e.ErrorName);
        Assert.Contains($"step {step} ({stepName})", e.Message, StringComparison.Ordinal);
        Assert.Contains("undone", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(t.Group.Path));
        ProcessState.Capture().AssertUnchangedSince(before);
    }

    [Fact]
    public void AllFiveStepsSucceedWithoutAFault()
    {
        using var t = new TestCgroup();
        using (Cgroup child = t.Group.CreateChild("limited", Limits, new StepFault { FailAfterStep = 6 }))
        {
            Assert.Equal("3", File.ReadAllText(Path.Combine(child.Path, "cgroup.max.depth")).Trim());
            Assert.Equal("7", File.ReadAllText(Path.Combine(child.Path, "cgroup.max.descendants")).Trim());
        }

        t.Group.DeleteChild("limited");
    }

    [Fact]
    public void ARefusedLimitRemovesTheChildAndKeepsTheErrno()
    {
        using var t = new TestCgroup();
        var limits = new CgroupResources { Raw = new Dictionary<string, string> { ["cgroup.max.depth"] = "2", ["cgroup.max.descendants"] = "bogus" } };
        var e = Assert.Throws<CgroupException>(() => t.Group.CreateChild("refused", limits));
        Assert.Equal("EINVAL", e.ErrorName);
        Assert.Equal("write", e.Operation);
        Assert.Equal("bogus", e.Value);
        Assert.Contains("step 5 (write cgroup.max.descendants) failed; undone: removed", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(t.Group.Path));
    }

    [Fact]
    public void FailedUndoNamesTheLeftoverDirectory()
    {
        using var t = new TestCgroup();
        string path = Path.Combine(t.Group.Path, "stuck");
        var e = Assert.Throws<UndoFailedException>(() => t.Group.CreateChild("stuck", Limits, new StepFault { FailAfterStep = 5, FailUndoOfStep = 1 }));
        Assert.Equal("create cgroup", e.Operation);
        Assert.Equal(5, e.StepNumber);
        Assert.Equal("ECANCELED", Assert.IsType<LinuxSyscallException>(e.InnerException).ErrorName);
        string leftover = Assert.Single(e.LeftBehind);
        Assert.Contains($"rmdir {path}", leftover, StringComparison.Ordinal);
        Assert.True(Directory.Exists(path));
        t.Group.DeleteChild("stuck");
        Assert.False(Directory.Exists(path));
    }
}

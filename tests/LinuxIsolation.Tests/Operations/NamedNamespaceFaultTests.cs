using System;
using System.IO;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Tests.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Operations;

/// <summary><see cref="NetworkNamespace.CreateNamed(string)"/> made to fail after each of its steps, and its undo made to fail.</summary>
[Collection(FaultCollection.Name)]
public class NamedNamespaceFaultTests
{
    public const int StepCount = 4;

    [Theory]
    [InlineData(1, "make /run/netns a shared mount")]
    [InlineData(2, "create /run/netns/")]
    [InlineData(3, "unshare(CLONE_NEWNET) and bind-mount it")]
    [InlineData(4, "open the namespace")]
    public void FailureAfterEachStepLeavesNothing(int step, string stepName)
    {
        Privileged.Require();
        string name = NsTool.UniqueName("stepfault");
        EnsureRunNetns();
        ProcessState before = ProcessState.Capture();
        try
        {
            var e = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(name, NamedNamespaceFault.None, new StepFault { FailAfterStep = step }));
            Assert.Equal("ECANCELED", e.ErrorName);
            Assert.Contains($"step {step} ({stepName}", e.Message, StringComparison.Ordinal);
            Assert.Contains("undone", e.Message, StringComparison.Ordinal);
            Assert.Equal(true, e.Data[MultiStepOperationData.Undone]);
            Assert.StartsWith($"step {step} ", (string)e.Data[MultiStepOperationData.Step]!, StringComparison.Ordinal);

            Assert.False(File.Exists("/run/netns/" + name));
            Assert.DoesNotContain(name, NsTool.IpNetnsList());
            ProcessState.Capture().AssertUnchangedSince(before);
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    [Fact]
    public void EveryStepIsCovered()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("stepcount");
        try
        {
            var e = Assert.Throws<LinuxSyscallException>(() => NetworkNamespace.CreateNamed(name, NamedNamespaceFault.None, new StepFault { FailAfterStep = StepCount }));
            Assert.Contains($"step {StepCount} ", e.Message, StringComparison.Ordinal);
            using NetworkNamespace ns = NetworkNamespace.CreateNamed(name, NamedNamespaceFault.None, new StepFault { FailAfterStep = StepCount + 1 });
        }
        finally
        {
            DeleteIfPresent(name);
        }

        Assert.DoesNotContain(name, NsTool.IpNetnsList());
    }

    [Fact]
    public void FailedUndoNamesTheLeftoverMount()
    {
        Privileged.Require();
        string name = NsTool.UniqueName("undofault");
        string path = "/run/netns/" + name;
        try
        {
            var e = Assert.Throws<UndoFailedException>(() =>
                NetworkNamespace.CreateNamed(name, NamedNamespaceFault.None, new StepFault { FailAfterStep = 4, FailUndoOfStep = 3 }));
            Assert.Equal("create named network namespace", e.Operation);
            Assert.Equal(4, e.StepNumber);
            Assert.Equal("open the namespace", e.Step);
            var inner = Assert.IsType<LinuxSyscallException>(e.InnerException);
            Assert.Equal("ECANCELED", inner.ErrorName);
            Assert.Contains(e.LeftBehind, l => l.Contains($"umount {path}", StringComparison.Ordinal));
            // The file under the mount could not be unlinked either (EBUSY): both are named.
            Assert.Contains(e.LeftBehind, l => l.Contains($"rm {path}", StringComparison.Ordinal));
            Assert.Contains(path, NsTool.MountPoints());
            Assert.Contains(name, NsTool.IpNetnsList());
        }
        finally
        {
            DeleteIfPresent(name);
        }

        Assert.DoesNotContain(name, NsTool.IpNetnsList());
        Assert.False(File.Exists(path));
    }

    private static void EnsureRunNetns()
    {
        // The first named namespace of the machine makes /run/netns a mount point (kept, as ip netns add keeps it):
        // make sure that already happened, so the before/after mount tables compare what the operation did.
        string name = NsTool.UniqueName("warmup");
        try
        {
            NetworkNamespace.CreateNamed(name).Dispose();
        }
        finally
        {
            DeleteIfPresent(name);
        }
    }

    private static void DeleteIfPresent(string name) => NsTool.DeleteNamespaceIfPresent(name);
}

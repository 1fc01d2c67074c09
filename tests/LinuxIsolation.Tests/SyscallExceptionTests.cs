using Xunit;

namespace LinuxIsolation.Tests;

public class SyscallExceptionTests
{
    [Fact]
    public void MessageNamesCallPathErrnoAndHint()
    {
        var e = new LinuxSyscallException(22, "pivot_root", "/var/lib/c4/rootfs", "new root must be a mount point, not on a shared mount");
        Assert.Equal("pivot_root(\"/var/lib/c4/rootfs\"): Invalid argument (EINVAL) (new root must be a mount point, not on a shared mount)", e.Message);
        Assert.Equal(22, e.NativeErrorCode);
        Assert.Equal("EINVAL", e.ErrorName);
    }
}

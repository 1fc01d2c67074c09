using System;
using System.IO;
using System.Threading.Tasks;
using LinuxIsolation.Namespaces;
using Xunit;

namespace LinuxIsolation.Tests.Namespaces;

public class NamespaceHandleTests
{
    public static TheoryData<NamespaceKind> Kinds => new()
    {
        NamespaceKind.Mount, NamespaceKind.Uts, NamespaceKind.Ipc, NamespaceKind.Network,
        NamespaceKind.Pid, NamespaceKind.User, NamespaceKind.Cgroup, NamespaceKind.Time,
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OpenCurrentThreadMatchesProcLinkForEveryKind(NamespaceKind kind)
    {
        using NamespaceHandle handle = NamespaceHandle.OpenCurrentThread(kind);
        Assert.Equal(kind, handle.Kind);
        string link = NsTool.ReadLink("/proc/thread-self/ns/" + kind.ProcName());
        Assert.Equal(link, handle.ToString());
        Assert.Equal(NsTool.InodeOf("/proc/thread-self/ns/" + kind.ProcName()), handle.Id.Inode);
        Assert.False(handle.FileDescriptor.IsInvalid);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OpenPathAsksTheKernelForTheKind(NamespaceKind kind)
    {
        using NamespaceHandle handle = NamespaceHandle.OpenPath("/proc/self/ns/" + kind.ProcName());
        Assert.Equal(kind, handle.Kind);
        using NamespaceHandle viaPid = NamespaceHandle.OpenProcess(Environment.ProcessId, kind);
        Assert.True(handle.IsSameAs(viaPid));
        Assert.Equal(handle.Id, viaPid.Id);
    }

    [Fact]
    public void DifferentKindsAndDifferentNamespacesAreNotTheSame()
    {
        using NamespaceHandle net = NamespaceHandle.OpenCurrentThread(NamespaceKind.Network);
        using NamespaceHandle uts = NamespaceHandle.OpenCurrentThread(NamespaceKind.Uts);
        Assert.False(net.IsSameAs(uts));
        Assert.NotEqual(net.Id, uts.Id);
    }

    [Fact]
    public void OpenPathOfAFileThatIsNotANamespaceFailsWithEnotty()
    {
        var e = Assert.Throws<LinuxSyscallException>(() => NamespaceHandle.OpenPath("/proc/self/status"));
        Assert.Equal("ENOTTY", e.ErrorName);
        Assert.Contains("not a namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenPathWithTheWrongExpectedKindIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => NamespaceHandle.OpenPath("/proc/self/ns/uts", NamespaceKind.Network));
        Assert.Contains("uts namespace, not a net namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenProcessOfAMissingProcessNamesThePath()
    {
        var e = Assert.Throws<LinuxSyscallException>(() => NamespaceHandle.OpenProcess(int.MaxValue, NamespaceKind.Network));
        Assert.Equal("ENOENT", e.ErrorName);
        Assert.Equal($"/proc/{int.MaxValue}/ns/net", e.Path);
        Assert.Throws<ArgumentOutOfRangeException>(() => NamespaceHandle.OpenProcess(0, NamespaceKind.Network));
        Assert.Throws<ArgumentOutOfRangeException>(() => NamespaceHandle.OpenCurrentThread((NamespaceKind)3));
    }

    [Fact]
    public void OpenThreadOfTheMainThread()
    {
        using NamespaceHandle a = NamespaceHandle.OpenThread(Environment.ProcessId, Environment.ProcessId, NamespaceKind.Ipc);
        using NamespaceHandle b = NamespaceHandle.OpenCurrentThread(NamespaceKind.Ipc);
        Assert.True(a.IsSameAs(b));
    }

    [Fact]
    public void RunInsideTheCurrentMountAndUtsNamespacesRestoresTheThread()
    {
        Privileged.Require();
        using NamespaceHandle mnt = NamespaceHandle.OpenCurrentThread(NamespaceKind.Mount);
        using NamespaceHandle uts = NamespaceHandle.OpenCurrentThread(NamespaceKind.Uts);
        int callerThread = Environment.CurrentManagedThreadId;
        (ulong inode, int thread) = NamespaceHandle.Run([mnt, uts], () => (NsTool.InodeOf("/proc/thread-self/ns/mnt"), Environment.CurrentManagedThreadId));
        Assert.Equal(mnt.Id.Inode, inode);
        Assert.NotEqual(callerThread, thread);
    }

    [Fact]
    public void RunRefusesKindsAThreadCannotUseAndAsyncDelegates()
    {
        using NamespaceHandle user = NamespaceHandle.OpenCurrentThread(NamespaceKind.User);
        using NamespaceHandle pid = NamespaceHandle.OpenCurrentThread(NamespaceKind.Pid);
        using NamespaceHandle net = NamespaceHandle.OpenCurrentThread(NamespaceKind.Network);
        Assert.Contains("single-threaded", Assert.Throws<NotSupportedException>(() => user.Run(() => 1)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => pid.Run(() => 1));
        Assert.Throws<ArgumentException>(() => RunReturning(net, () => Task.FromResult(1)));
        Assert.Throws<ArgumentException>(() => RunReturning(net, () => Task.CompletedTask));
        Assert.Throws<ArgumentException>(() => net.Run(() => new ValueTask<int>(1)));
        Assert.Throws<ArgumentException>(() => NamespaceHandle.Run([net, net], () => 1));
        Assert.Throws<ArgumentException>(() => NamespaceHandle.Run(Array.Empty<NamespaceHandle>(), () => 1));
    }

    private static void RunReturning<T>(NamespaceHandle handle, Func<T> action) => _ = handle.Run(action);

    [Fact]
    public void RunPropagatesTheDelegatesExceptionAfterRestoring()
    {
        Privileged.Require();
        using NetworkNamespace ns = NetworkNamespace.CreateAnonymous();
        var e = Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", e.Message);
        Assert.NotEqual(ns.Id.Inode, NsTool.InodeOf("/proc/thread-self/ns/net"));
    }

    [Fact]
    public void DisposedHandleIsRefused()
    {
        NamespaceHandle net = NamespaceHandle.OpenCurrentThread(NamespaceKind.Network);
        net.Dispose();
        Assert.Throws<ObjectDisposedException>(() => net.Run(() => 1));
    }

    [Fact]
    public void MakePersistentBindsTheNamespaceOntoAFileAndRemovePersistentUndoesIt()
    {
        Privileged.Require();
        string directory = Directory.CreateTempSubdirectory("lxi-ns-persist-").FullName;
        string file = Path.Combine(directory, "net");
        try
        {
            ulong inode;
            using (NetworkNamespace ns = NetworkNamespace.CreateAnonymous())
            {
                inode = ns.Id.Inode;
                ns.Handle.MakePersistent(file);
                Assert.Contains(file, NsTool.MountPoints());
                var again = Assert.Throws<LinuxSyscallException>(() => ns.Handle.MakePersistent(file));
                Assert.Equal("EEXIST", again.ErrorName);
            }

            // The handle is closed: the bind mount alone keeps the namespace alive.
            using (NamespaceHandle reopened = NamespaceHandle.OpenPath(file, NamespaceKind.Network))
            {
                Assert.Equal(inode, reopened.Id.Inode);
                Assert.Equal($"net:[{inode}]", NsTool.Run("nsenter", $"--net={file}", "readlink", "/proc/self/ns/net").Trim());
            }

            NamespaceHandle.RemovePersistent(file);
            Assert.False(File.Exists(file));
            Assert.DoesNotContain(file, NsTool.MountPoints());
            Assert.Equal("ENOENT", Assert.Throws<LinuxSyscallException>(() => NamespaceHandle.RemovePersistent(file)).ErrorName);
        }
        finally
        {
            if (NsTool.MountPoints().Contains(file))
            {
                NsTool.Run("umount", "-l", file);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void MakePersistentNeedsAnAbsolutePath()
    {
        using NamespaceHandle net = NamespaceHandle.OpenCurrentThread(NamespaceKind.Network);
        Assert.Throws<ArgumentException>(() => net.MakePersistent("relative/net"));
        Assert.Throws<ArgumentException>(() => net.MakePersistent(""));
    }
}

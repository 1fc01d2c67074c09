using System.Runtime.InteropServices;

namespace LinuxIsolation.Lxi;

/// <summary>The few libc calls lxi makes itself: the start FIFO and the console socket (SCM_RIGHTS).</summary>
internal static unsafe partial class Interop
{
    internal const int AF_UNIX = 1;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_SOCKET = 1;
    internal const int SCM_RIGHTS = 1;
    internal const int MSG_NOSIGNAL = 0x4000;
    internal const int EEXIST = 17;

    /// <summary>mkfifo(3).</summary>
    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkfifo(string path, uint mode);

    /// <summary>socket(2).</summary>
    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    /// <summary>connect(2) with a struct sockaddr_un.</summary>
    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    internal static partial int connect(int fd, SockaddrUn* address, uint length);

    /// <summary>sendmsg(2).</summary>
    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    /// <summary>_exit(2): ends lxi at once, without the runtime's shutdown.</summary>
    [LibraryImport("libc", EntryPoint = "_exit")]
    internal static partial void _exit(int status);

    /// <summary>close(2).</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);

    /// <summary>prctl(2) with one argument (PR_SET_CHILD_SUBREAPER).</summary>
    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    internal const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrUn
    {
        public ushort Family;
        public fixed byte Path[108];
    }

    /// <summary>struct iovec { void *iov_base; size_t iov_len; }.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (x86-64 and arm64 layout: pointers and size_t, then int flags).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } followed by one int fd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CmsgOneFd
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int Fd;
        public int Padding;
    }
}

internal static unsafe partial class Interop
{
    internal const uint S_IFIFO = 0x1000;
    internal const uint S_IFCHR = 0x2000;
    internal const uint S_IFBLK = 0x6000;

    /// <summary>mknod(2).</summary>
    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mknod(string path, uint mode, ulong dev);

    /// <summary>lchown(2).</summary>
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lchown(string path, uint uid, uint gid);

    /// <summary>chmod(2).</summary>
    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int chmod(string path, uint mode);

    /// <summary>makedev(3) of glibc: the 64-bit dev_t from major and minor.</summary>
    internal static ulong MakeDev(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);
}

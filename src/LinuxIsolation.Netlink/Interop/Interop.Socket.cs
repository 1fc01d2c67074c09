using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink;

internal static unsafe partial class Interop
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOCK_NONBLOCK = 0x800;

    internal const int SOL_SOCKET = 1;
    internal const int SO_DOMAIN = 39;
    internal const int SO_PROTOCOL = 38;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVBUFFORCE = 33;

    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_ADD_MEMBERSHIP = 1;
    internal const int NETLINK_DROP_MEMBERSHIP = 2;
    internal const int NETLINK_NO_ENOBUFS = 5;
    internal const int NETLINK_LISTEN_ALL_NSID = 8;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;
    internal const int NETLINK_GET_STRICT_CHK = 12;

    internal const int MSG_PEEK = 0x2;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_DONTWAIT = 0x40;

    /// <summary>
    /// <code>
    /// struct sockaddr_nl {
    ///     __kernel_sa_family_t nl_family; /* AF_NETLINK */
    ///     unsigned short nl_pad;          /* zero */
    ///     __u32 nl_pid;                   /* port ID */
    ///     __u32 nl_groups;                /* multicast groups mask */
    /// };
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct sockaddr_nl
    {
        internal ushort nl_family;
        internal ushort nl_pad;
        internal uint nl_pid;
        internal uint nl_groups;
    }

    /// <summary><c>struct iovec { void *iov_base; size_t iov_len; };</c></summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct iovec
    {
        internal void* iov_base;
        internal nuint iov_len;
    }

    /// <summary>
    /// <code>
    /// struct msghdr {
    ///     void *msg_name; socklen_t msg_namelen; struct iovec *msg_iov; size_t msg_iovlen;
    ///     void *msg_control; size_t msg_controllen; int msg_flags;
    /// };
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct msghdr
    {
        internal void* msg_name;
        internal uint msg_namelen;
        internal iovec* msg_iov;
        internal nuint msg_iovlen;
        internal void* msg_control;
        internal nuint msg_controllen;
        internal int msg_flags;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static partial int bind(SafeHandle fd, sockaddr_nl* addr, uint addrlen);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int getsockname(SafeHandle fd, sockaddr_nl* addr, uint* addrlen);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int setsockopt(SafeHandle fd, int level, int optname, void* optval, uint optlen);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int getsockopt(SafeHandle fd, int level, int optname, void* optval, uint* optlen);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint sendto(SafeHandle fd, void* buf, nuint len, int flags, sockaddr_nl* addr, uint addrlen);

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint recvmsg(SafeHandle fd, msghdr* msg, int flags);
}

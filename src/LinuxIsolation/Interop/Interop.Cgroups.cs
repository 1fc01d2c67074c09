using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    /// <summary>
    /// The calls the cgroup v2 code makes beyond <c>Interop.Files</c>. Nested so that other subsystems may
    /// declare their own <c>syscall</c> or <c>poll</c> overloads without clashing.
    /// </summary>
    internal static unsafe partial class Cgroups
    {
        /// <summary><c>__NR_openat2</c>: the same number on every architecture (asm-generic table), Linux 5.6.</summary>
        internal const long SYS_openat2 = 437;

        internal const ulong RESOLVE_NO_XDEV = 0x01;
        internal const ulong RESOLVE_NO_MAGICLINKS = 0x02;
        internal const ulong RESOLVE_NO_SYMLINKS = 0x04;
        internal const ulong RESOLVE_BENEATH = 0x08;

        internal const int AT_REMOVEDIR = 0x200;
        internal const int SEEK_SET = 0;

        internal const short POLLIN = 0x1;
        internal const short POLLPRI = 0x2;
        internal const short POLLERR = 0x8;
        internal const short POLLHUP = 0x10;
        internal const short POLLNVAL = 0x20;

        internal const int EFD_CLOEXEC = 0x80000;
        internal const int EFD_NONBLOCK = 0x800;

        internal const int SIGKILL = 9;

        /// <summary>
        /// <code>
        /// struct open_how {
        ///     __u64 flags;
        ///     __u64 mode;
        ///     __u64 resolve;
        /// };
        /// </code>
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct open_how
        {
            internal ulong flags;
            internal ulong mode;
            internal ulong resolve;
        }

        /// <summary><c>struct pollfd { int fd; short events; short revents; };</c></summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct pollfd
        {
            internal int fd;
            internal short events;
            internal short revents;
        }

        /// <summary><c>long syscall(SYS_openat2, int dirfd, const char *path, struct open_how *how, size_t size)</c>.</summary>
        [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
        internal static partial long syscall_openat2(long number, int dirfd, byte* path, open_how* how, nuint size);

        [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
        internal static partial int openat(int dirfd, byte* path, int flags, uint mode);

        [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
        internal static partial int mkdirat(int dirfd, byte* path, uint mode);

        [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
        internal static partial int unlinkat(int dirfd, byte* path, int flags);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        internal static partial nint read(int fd, byte* buf, nuint count);

        [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
        internal static partial nint pread(int fd, byte* buf, nuint count, long offset);

        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        internal static partial nint write(int fd, byte* buf, nuint count);

        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        internal static partial int poll(pollfd* fds, nuint nfds, int timeout);

        [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
        internal static partial int eventfd(uint initval, int flags);

        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static partial int kill(int pid, int sig);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int close(int fd);
    }
}

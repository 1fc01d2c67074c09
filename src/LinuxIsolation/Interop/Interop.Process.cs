using System.Runtime.InteropServices;
using LinuxIsolation.Processes.Native;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    /// <summary>The native library built from Native/*.c (see Native/lxi_spawn.h).</summary>
    internal const string NativeLibraryName = "libLinuxIsolation.Native";

    internal const int P_PIDFD = 3;
    internal const int WEXITED = 4;
    internal const int WNOHANG = 1;
    internal const int __WALL = 0x40000000;
    internal const int CLD_EXITED = 1;
    internal const int CLD_KILLED = 2;
    internal const int CLD_DUMPED = 3;
    internal const short POLLIN = 0x1;
    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;
    internal const int SIGKILL = 9;
    internal const int EINTR = 4;
    internal const int ESRCH = 3;

    /// <summary><c>int lxi_spawn(const struct lxi_spawn_spec *spec, struct lxi_spawn_result *result)</c>.</summary>
    [LibraryImport(NativeLibraryName, EntryPoint = "lxi_spawn")]
    internal static partial int lxi_spawn(lxi_spawn_spec* spec, lxi_spawn_result* result);

    /// <summary><c>const char *lxi_version(void)</c>.</summary>
    [LibraryImport(NativeLibraryName, EntryPoint = "lxi_version")]
    internal static partial byte* lxi_version();

    /// <summary><c>int lxi_pidfd_send_signal(int pidfd, int sig)</c>: pidfd_send_signal(2) (Linux 5.1); 0 or -1 with errno.</summary>
    [LibraryImport(NativeLibraryName, EntryPoint = "lxi_pidfd_send_signal", SetLastError = true)]
    internal static partial int lxi_pidfd_send_signal(int pidfd, int signal);

    /// <summary>waitid(2). With P_PIDFD (Linux 5.4) the id is a pidfd.</summary>
    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    internal static partial int waitid(int idtype, int id, siginfo_t* info, int options);

    /// <summary>poll(2).</summary>
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int poll(pollfd* fds, nuint nfds, int timeout);

    /// <summary>pipe2(2).</summary>
    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int pipe2(int* fds, int flags);

    /// <summary>eventfd(2).</summary>
    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    /// <summary>geteuid(2).</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint geteuid();

    /// <summary>getegid(2).</summary>
    [LibraryImport("libc", EntryPoint = "getegid")]
    internal static partial uint getegid();

    /// <summary><c>struct pollfd { int fd; short events; short revents; }</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }

    /// <summary>The part of <c>siginfo_t</c> waitid fills for SIGCHLD (x86-64 and arm64 layout, 128 bytes):
    /// <c>int si_signo; int si_errno; int si_code; int pad; pid_t si_pid; uid_t si_uid; int si_status; ...</c>.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    internal struct siginfo_t
    {
        [FieldOffset(0)] public int si_signo;
        [FieldOffset(8)] public int si_code;
        [FieldOffset(16)] public int si_pid;
        [FieldOffset(24)] public int si_status;
    }
}

using System.Runtime.InteropServices;

namespace LinuxIsolation.Oci;

/// <summary>The few libc calls the OCI package makes itself (everything else goes through LinuxIsolation's public API).</summary>
internal static partial class Interop
{
    public const int SYS_pidfd_send_signal = 424;
    public const int SYS_pidfd_open = 434;
    public const int SYS_ioprio_set = 251;
    public const int SYS_sched_setattr = 314;
    public const int IOPRIO_WHO_PROCESS = 1;
    public const int ESRCH = 3;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = 11;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;
    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;

    /// <summary>struct rlimit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct rlimit
    {
        public ulong rlim_cur;
        public ulong rlim_max;
    }

    /// <summary>struct sched_attr (linux/sched/types.h), SCHED_ATTR_SIZE_VER1 = 56 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct sched_attr
    {
        public uint size;
        public uint sched_policy;
        public ulong sched_flags;
        public int sched_nice;
        public uint sched_priority;
        public ulong sched_runtime;
        public ulong sched_deadline;
        public ulong sched_period;
        public uint sched_util_min;
        public uint sched_util_max;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getrlimit(int resource, out rlimit rlim);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    public static partial uint umask(uint mask);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_pidfd_open(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_pidfd_send_signal(long number, int pidfd, int signal, nint info, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long syscall_ioprio_set(long number, int which, int who, int ioprio);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static unsafe partial long syscall_sched_setattr(long number, int pid, sched_attr* attr, uint flags);
}

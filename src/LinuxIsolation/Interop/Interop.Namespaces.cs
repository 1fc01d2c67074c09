using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    // linux/sched.h: the CLONE_NEW* flags, also the nstype argument of setns(2).
    internal const int CLONE_NEWTIME = 0x00000080;
    internal const int CLONE_FS = 0x00000200;
    internal const int CLONE_NEWNS = 0x00020000;
    internal const int CLONE_NEWCGROUP = 0x02000000;
    internal const int CLONE_NEWUTS = 0x04000000;
    internal const int CLONE_NEWIPC = 0x08000000;
    internal const int CLONE_NEWUSER = 0x10000000;
    internal const int CLONE_NEWPID = 0x20000000;
    internal const int CLONE_NEWNET = 0x40000000;

    // linux/nsfs.h: #define NSIO 0xb7; #define NS_GET_NSTYPE _IO(NSIO, 0x3)  (Linux 4.11)
    internal const ulong NS_GET_NSTYPE = 0xb703;

    // The calls made inside a foreign namespace are in Namespaces/NamespaceSyscalls.cs (function pointers, no stubs).

    /// <summary><c>int unshare(int flags)</c>: gives the calling thread new namespaces (or a private fs struct for CLONE_FS).</summary>
    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    internal static partial int unshare(int flags);

    /// <summary><c>int ioctl(int fd, unsigned long request)</c> for the argument-less nsfs requests.</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(SafeHandle fd, ulong request);

    // linux/socket.h, linux/net.h: what NetworkNamespace's sockets are made of (socket(2) made inside a namespace).
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_INET6 = 10;
    internal const int AF_NETLINK = 16;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_SEQPACKET = 5;
    internal const int SOCK_CLOEXEC = 0x80000;

    /// <summary><c>int unlink(const char *path)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlink(string path);

    /// <summary><c>int mkdir(const char *path, mode_t mode)</c>.</summary>
    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    // statx(2) (Linux 4.11) through syscall(2): glibc exports statx only since 2.28.
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_INO = 0x100;
    internal const uint STATX_MNT_ID = 0x1000;

    internal static long SYS_statx => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 332,
        Architecture.Arm64 => 291,
        _ => throw new PlatformNotSupportedException($"statx: unknown system call number on {RuntimeInformation.ProcessArchitecture}."),
    };

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5);

    /// <summary>
    /// <c>statx(fd, "", AT_EMPTY_PATH, mask, &amp;buf)</c>: the status of the file <paramref name="fd"/> refers to.
    /// </summary>
    internal static int statx(SafeHandle fd, uint mask, out statx_t buffer)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            byte empty = 0;
            statx_t result;
            long rc = syscall(SYS_statx, fd.DangerousGetHandle(), (nint)(&empty), AT_EMPTY_PATH, (nint)mask, (nint)(&result));
            buffer = result;
            return (int)rc;
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    /// <summary><c>statx(AT_FDCWD, path, 0, mask, &amp;buf)</c>: the status of the file at <paramref name="path"/> (following links).</summary>
    internal static int statx(string path, uint mask, out statx_t buffer)
    {
        byte[] encoded = new byte[System.Text.Encoding.UTF8.GetByteCount(path) + 1];
        System.Text.Encoding.UTF8.GetBytes(path, encoded);
        statx_t result;
        long rc;
        fixed (byte* p = encoded)
        {
            rc = syscall(SYS_statx, AT_FDCWD, (nint)p, 0, (nint)mask, (nint)(&result));
        }

        buffer = result;
        return (int)rc;
    }

    /*
     * linux/stat.h:
     * struct statx {
     *     __u32 stx_mask; __u32 stx_blksize; __u64 stx_attributes;
     *     __u32 stx_nlink; __u32 stx_uid; __u32 stx_gid; __u16 stx_mode; __u16 __spare0[1];
     *     __u64 stx_ino; __u64 stx_size; __u64 stx_blocks; __u64 stx_attributes_mask;
     *     struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
     *     __u32 stx_rdev_major; __u32 stx_rdev_minor; __u32 stx_dev_major; __u32 stx_dev_minor;
     *     ... (256 bytes in all)
     * };
     */
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct statx_t
    {
        [FieldOffset(0)] public uint stx_mask;
        [FieldOffset(28)] public ushort stx_mode;
        [FieldOffset(32)] public ulong stx_ino;
        [FieldOffset(136)] public uint stx_dev_major;
        [FieldOffset(140)] public uint stx_dev_minor;
        [FieldOffset(144)] public ulong stx_mnt_id;
    }
}

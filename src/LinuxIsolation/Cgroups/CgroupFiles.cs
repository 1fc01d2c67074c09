using System;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// Opens, reads and writes files beneath a cgroup directory descriptor. <c>openat2</c> with
/// <c>RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS</c> (Linux 5.6) makes the kernel refuse
/// anything that would leave the directory; on older kernels <c>openat</c> with <c>O_NOFOLLOW</c> over a
/// validated single path component gives the same guarantee.
/// </summary>
internal static unsafe class CgroupFiles
{
    private static volatile bool s_noOpenat2;

    /// <summary>Opens <paramref name="name"/> (one validated component) beneath <paramref name="dir"/>; returns -errno on failure.</summary>
    internal static int OpenBeneath(SafeHandle dir, string name, int flags, uint mode = 0)
    {
        int max = Encoding.UTF8.GetMaxByteCount(name.Length) + 1;
        Span<byte> path = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int len = Encoding.UTF8.GetBytes(name, path);
        path[len] = 0;

        bool added = false;
        try
        {
            dir.DangerousAddRef(ref added);
            int dirfd = (int)dir.DangerousGetHandle().ToInt64();
            fixed (byte* p = path)
            {
                if (!s_noOpenat2)
                {
                    var how = new Interop.Cgroups.open_how
                    {
                        flags = (ulong)(uint)(flags | Interop.O_CLOEXEC),
                        mode = mode,
                        resolve = Interop.Cgroups.RESOLVE_BENEATH | Interop.Cgroups.RESOLVE_NO_MAGICLINKS | Interop.Cgroups.RESOLVE_NO_SYMLINKS,
                    };
                    long fd = Interop.Cgroups.syscall_openat2(Interop.Cgroups.SYS_openat2, dirfd, p, &how, (nuint)sizeof(Interop.Cgroups.open_how));
                    if (fd >= 0)
                    {
                        return (int)fd;
                    }

                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == 38 /* ENOSYS: before Linux 5.6 */)
                    {
                        s_noOpenat2 = true;
                    }
                    else if (errno != Errno.EPERM /* a seccomp filter that predates openat2 */)
                    {
                        return -errno;
                    }
                }

                // Callers pass one validated component, so O_NOFOLLOW on it is all that is needed to stay beneath.

                int fd2 = Interop.Cgroups.openat(dirfd, p, flags | Interop.O_CLOEXEC | Interop.O_NOFOLLOW, mode);
                return fd2 >= 0 ? fd2 : -Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            if (added)
            {
                dir.DangerousRelease();
            }
        }
    }

    /// <summary>Opens a file beneath the cgroup directory or throws a <see cref="CgroupException"/> naming it.</summary>
    internal static SafeFileDescriptor Open(Cgroup cgroup, string file, int flags)
    {
        int fd = OpenBeneath(cgroup.Handle, file, flags);
        if (fd < 0)
        {
            throw new CgroupException(-fd, "open", cgroup.FilePath(file), detail: OpenHint(-fd, file));
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>Reads a whole interface file, or returns null when it does not exist (<c>ENOENT</c>).</summary>
    internal static string? TryRead(Cgroup cgroup, string file)
    {
        int fd = OpenBeneath(cgroup.Handle, file, Interop.O_RDONLY);
        if (fd == -Errno.ENOENT)
        {
            return null;
        }

        if (fd < 0)
        {
            throw new CgroupException(-fd, "open", cgroup.FilePath(file), detail: OpenHint(-fd, file));
        }

        using var handle = new SafeFileDescriptor(fd, ownsHandle: true);
        return ReadFrom(handle, cgroup.FilePath(file));
    }

    /// <summary>Reads a whole interface file.</summary>
    internal static string Read(Cgroup cgroup, string file) =>
        TryRead(cgroup, file) ?? throw new CgroupException(Errno.ENOENT, "open", cgroup.FilePath(file), detail: OpenHint(Errno.ENOENT, file));

    /// <summary>Reads from offset 0 of an open interface file (re-arming its poll notification).</summary>
    internal static string ReadFrom(SafeFileDescriptor handle, string pathForErrors)
    {
        byte[] buffer = new byte[4096];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            nint n;
            fixed (byte* b = buffer)
            {
                n = Interop.Cgroups.pread(handle.DangerousFileDescriptor, b + total, (nuint)(buffer.Length - total), total);
            }

            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                throw new CgroupException(errno, "read", pathForErrors);
            }

            if (n == 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, total);
            }

            total += (int)n;
        }
    }

    /// <summary>Writes <paramref name="value"/> to an interface file in one <c>write</c>, as the kernel requires.</summary>
    internal static void Write(Cgroup cgroup, string file, string value)
    {
        int errno = TryWrite(cgroup, file, value);
        if (errno != 0)
        {
            throw new CgroupException(errno, errno == Errno.ENOENT ? "open" : "write", cgroup.FilePath(file), errno == Errno.ENOENT ? null : value, WriteHint(errno, file));
        }
    }

    /// <summary>Writes and returns 0 or the errno (of the open or of the write).</summary>
    internal static int TryWrite(Cgroup cgroup, string file, string value)
    {
        int fd = OpenBeneath(cgroup.Handle, file, Interop.O_WRONLY);
        if (fd < 0)
        {
            return -fd;
        }

        using var handle = new SafeFileDescriptor(fd, ownsHandle: true);
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        while (true)
        {
            nint n;
            fixed (byte* b = bytes)
            {
                n = Interop.Cgroups.write(fd, b, (nuint)bytes.Length);
            }

            if (n >= 0)
            {
                return n == bytes.Length ? 0 : Errno.EIO;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                return errno;
            }
        }
    }

    private static string? OpenHint(int errno, string file)
    {
        if (errno == 40 /* ELOOP */ || errno == 18 /* EXDEV */)
        {
            return "refused: it would resolve outside the cgroup directory";
        }

        if (errno != Errno.ENOENT)
        {
            return null;
        }

        return file switch
        {
            "cgroup.kill" => "cgroup.kill needs Linux 5.14",
            "cgroup.freeze" => "cgroup.freeze needs Linux 5.2, and the root cgroup has none",
            "memory.peak" => "memory.peak needs Linux 5.19",
            "pids.peak" => "pids.peak needs Linux 6.1",
            _ => null,
        };
    }

    private static string? WriteHint(int errno, string file)
    {
        if (errno == Errno.ENOENT || errno == 40 || errno == 18)
        {
            return OpenHint(errno, file);
        }

        if (errno == Errno.EBUSY && file == "cgroup.procs")
        {
            return "the cgroup has controllers enabled in cgroup.subtree_control: processes may only live in leaves (no internal processes rule)";
        }

        if (errno == Errno.EBUSY && file == "cgroup.subtree_control")
        {
            return "the cgroup has processes of its own: move them to a child first (no internal processes rule)";
        }

        if (errno == Errno.EOPNOTSUPP && file == "cgroup.subtree_control")
        {
            return "a threaded or domain-invalid cgroup cannot enable this controller";
        }

        return null;
    }
}

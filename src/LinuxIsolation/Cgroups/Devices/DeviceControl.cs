using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Cgroups.Devices;

/// <summary>
/// Loading device programs (<see cref="DeviceFilterProgram"/>) and attaching them to cgroup v2 directories with
/// bpf(2): <c>BPF_PROG_LOAD</c> of a <c>BPF_PROG_TYPE_CGROUP_DEVICE</c> program, <c>BPF_PROG_ATTACH</c> with
/// <c>BPF_CGROUP_DEVICE</c> and <c>BPF_F_ALLOW_MULTI</c> (every attached program must allow an access, those of
/// the ancestors included), <c>BPF_PROG_QUERY</c> and <c>BPF_PROG_DETACH</c>. Needs CAP_SYS_ADMIN (or CAP_BPF with
/// CAP_NET_ADMIN on 5.8+) and Linux 4.15.
/// </summary>
internal static unsafe class DeviceControl
{
    private static readonly byte[] License = Encoding.ASCII.GetBytes("MIT\0");
    private static readonly byte[] Name = Encoding.ASCII.GetBytes("lxi_devices\0");

    /// <summary>Checks the rules and loads their program; the caller owns the returned descriptor.</summary>
    public static SafeFileDescriptor Load(IReadOnlyList<DeviceRule> rules, string parameterName)
    {
        foreach (DeviceRule r in rules)
        {
            ArgumentNullException.ThrowIfNull(r, parameterName);
            r.Validate(parameterName);
        }

        byte[] insns = DeviceFilterProgram.Compile(rules);
        int fd = TryLoad(insns, null);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string? detail = errno switch
            {
                Errno.EPERM => "loading a device program needs CAP_SYS_ADMIN (or CAP_BPF and CAP_NET_ADMIN)",
                Errno.EINVAL or Errno.EACCES => "the kernel's verifier refused the program: " + VerifierLog(insns),
                _ => null,
            };
            throw new LinuxSyscallException(errno, "bpf(BPF_PROG_LOAD)", null, detail);
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>Attaches the program to the cgroup directory (<c>BPF_F_ALLOW_MULTI</c>).</summary>
    public static void Attach(SafeHandle cgroupDirectory, SafeFileDescriptor program, string cgroupPath)
    {
        if (AttachOrDetach(Interop.BPF_PROG_ATTACH, cgroupDirectory, program.DangerousFileDescriptor, Interop.BPF_F_ALLOW_MULTI) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new LinuxSyscallException(errno, "bpf(BPF_PROG_ATTACH)", cgroupPath, errno switch
            {
                Errno.EPERM => "a program attached without BPF_F_ALLOW_MULTI (exclusive) is already there, or the caller lacks CAP_SYS_ADMIN",
                Errno.EBADF => "not a cgroup v2 directory",
                _ => null,
            });
        }
    }

    /// <summary>Detaches the program from the cgroup directory; false with errno when that failed.</summary>
    public static bool TryDetach(SafeHandle cgroupDirectory, int program) =>
        AttachOrDetach(Interop.BPF_PROG_DETACH, cgroupDirectory, program, 0) == 0;

    /// <summary>The ids of the device programs attached to this cgroup directory itself (not its ancestors).</summary>
    public static uint[] Query(SafeHandle cgroupDirectory, string cgroupPath)
    {
        uint[] ids = new uint[64];
        bool added = false;
        try
        {
            cgroupDirectory.DangerousAddRef(ref added);
            fixed (uint* p = ids)
            {
                Interop.bpf_attr attr = default;
                *(uint*)attr.bytes = (uint)cgroupDirectory.DangerousGetHandle();
                *(uint*)(attr.bytes + 4) = Interop.BPF_CGROUP_DEVICE;
                *(ulong*)(attr.bytes + 16) = (ulong)p;
                *(uint*)(attr.bytes + 24) = (uint)ids.Length;
                if (Interop.bpf(Interop.BPF_PROG_QUERY, &attr) != 0)
                {
                    throw LinuxSyscallException.FromLastError("bpf(BPF_PROG_QUERY)", cgroupPath);
                }

                return ids.AsSpan(0, (int)*(uint*)(attr.bytes + 24)).ToArray();
            }
        }
        finally
        {
            if (added)
            {
                cgroupDirectory.DangerousRelease();
            }
        }
    }

    /// <summary>Opens the program with id <paramref name="id"/> (BPF_PROG_GET_FD_BY_ID); null when it is gone.</summary>
    public static SafeFileDescriptor? OpenById(uint id)
    {
        Interop.bpf_attr attr = default;
        *(uint*)attr.bytes = id;
        int fd = Interop.bpf(Interop.BPF_PROG_GET_FD_BY_ID, &attr);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Errno.ENOENT ? null : throw new LinuxSyscallException(errno, "bpf(BPF_PROG_GET_FD_BY_ID)", null, $"program id {id}");
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    private static int AttachOrDetach(int command, SafeHandle cgroupDirectory, int program, uint flags)
    {
        bool added = false;
        try
        {
            cgroupDirectory.DangerousAddRef(ref added);
            Interop.bpf_attr attr = default;
            *(uint*)attr.bytes = (uint)cgroupDirectory.DangerousGetHandle();
            *(uint*)(attr.bytes + 4) = (uint)program;
            *(uint*)(attr.bytes + 8) = Interop.BPF_CGROUP_DEVICE;
            *(uint*)(attr.bytes + 12) = flags;
            return Interop.bpf(command, &attr);
        }
        finally
        {
            if (added)
            {
                cgroupDirectory.DangerousRelease();
            }
        }
    }

    private static int TryLoad(byte[] insns, byte[]? log)
    {
        fixed (byte* code = insns)
        fixed (byte* license = License)
        fixed (byte* name = Name)
        fixed (byte* logBuffer = log)
        {
            Interop.bpf_attr attr = default;
            *(uint*)attr.bytes = Interop.BPF_PROG_TYPE_CGROUP_DEVICE;
            *(uint*)(attr.bytes + 4) = (uint)(insns.Length / 8);
            *(ulong*)(attr.bytes + 8) = (ulong)code;
            *(ulong*)(attr.bytes + 16) = (ulong)license;
            if (log is not null)
            {
                *(uint*)(attr.bytes + 24) = 1;
                *(uint*)(attr.bytes + 28) = (uint)log.Length;
                *(ulong*)(attr.bytes + 32) = (ulong)logBuffer;
            }

            new ReadOnlySpan<byte>(name, Name.Length).CopyTo(new Span<byte>(attr.bytes + 48, 16));
            *(uint*)(attr.bytes + 68) = Interop.BPF_CGROUP_DEVICE;

            // The verifier gives up with EAGAIN when a signal is pending on the thread (the runtime's own signals,
            // GC suspension among them, arrive at any time); libbpf retries the same way.
            int fd;
            int attempts = 0;
            do
            {
                fd = Interop.bpf(Interop.BPF_PROG_LOAD, &attr);
            }
            while (fd < 0 && Marshal.GetLastPInvokeError() is Errno.EAGAIN or Errno.EINTR && ++attempts < 10);
            return fd;
        }
    }

    private static string VerifierLog(byte[] insns)
    {
        byte[] log = new byte[65536];
        int fd = TryLoad(insns, log);
        if (fd >= 0)
        {
            Interop.Cgroups.close(fd);
            return "(it loads on a second try)";
        }

        int end = Array.IndexOf(log, (byte)0);
        return Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).Trim();
    }
}

using System;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Netlink;

namespace LinuxIsolation.Namespaces;

public sealed partial class NetworkNamespace
{
    /// <summary>
    /// Reads a sysctl of this network namespace, e.g. <c>net.ipv4.ip_forward</c>, <c>net.ipv4.conf.eth0.rp_filter</c>
    /// or <c>net.ipv6.conf.all.disable_ipv6</c>; like <c>ip netns exec NAME sysctl -n KEY</c>. The file under
    /// <c>/proc/sys/net</c> is opened inside the namespace by the library's namespace worker thread (<c>/proc/sys/net</c> shows the
    /// opener's namespace) and read outside. A key containing <c>/</c> uses <c>/</c> as separator, so interface names
    /// with dots work: <c>net/ipv4/conf/eth0.100/forwarding</c>. Returns the value without its trailing newline.
    /// </summary>
    /// <exception cref="ArgumentException">The key is not under <c>net</c>, or has an empty, <c>.</c> or <c>..</c> component, whitespace or NUL.</exception>
    /// <exception cref="LinuxSyscallException">No such key in this namespace (ENOENT, e.g. no such interface), or the read failed.</exception>
    public unsafe string ReadSysctl(string key)
    {
        string path = SysctlKey.ToPath(key);
        ThrowIfDisposed();
        using SafeFileDescriptor fd = OpenInside(path, Interop.O_RDONLY);
        byte[] buffer = new byte[4096];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            nint n;
            fixed (byte* p = &buffer[length])
            {
                n = Interop.read(fd, p, (nuint)(buffer.Length - length));
            }

            if (n < 0)
            {
                throw LinuxSyscallException.FromLastError("read", path);
            }

            if (n == 0)
            {
                break;
            }

            length += (int)n;
        }

        return Encoding.UTF8.GetString(buffer, 0, length).TrimEnd('\n');
    }

    /// <summary>
    /// Writes a sysctl of this network namespace, e.g. <c>WriteSysctl("net.ipv4.ip_forward", "1")</c>; like
    /// <c>ip netns exec NAME sysctl -w KEY=VALUE</c>. The file is opened inside the namespace by the library's namespace worker thread
    /// and written outside; the host's value is not touched. Needs CAP_NET_ADMIN in the namespace's owner.
    /// </summary>
    /// <exception cref="ArgumentException">The key is invalid (see <see cref="ReadSysctl"/>), or the value is empty, blank or contains NUL.</exception>
    /// <exception cref="LinuxSyscallException">No such key (ENOENT), no permission, or the kernel refused the value (EINVAL).</exception>
    public unsafe void WriteSysctl(string key, string value)
    {
        string path = SysctlKey.ToPath(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A sysctl value must not contain NUL.", nameof(value));
        }

        if (value.Trim().Length == 0)
        {
            // An empty write does not mean "unchanged": string sysctls take it as a new, empty value.
            throw new ArgumentException($"An empty sysctl value is refused: writing nothing to {key} would reset a string sysctl rather than leave it alone. Give the value.", nameof(value));
        }

        ThrowIfDisposed();
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        using SafeFileDescriptor fd = OpenInside(path, Interop.O_WRONLY);
        fixed (byte* p = bytes)
        {
            nint n = Interop.write(fd, p, (nuint)bytes.Length);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new LinuxSyscallException(errno, "write", path, errno == Errno.EINVAL ? $"the kernel refused the value '{value}'" : null);
            }

            if (n != bytes.Length)
            {
                throw new LinuxSyscallException(Errno.EIO, "write", path, $"short write: {n} of {bytes.Length} bytes");
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> inside this namespace, on the namespace worker.</summary>
    private unsafe SafeFileDescriptor OpenInside(string path, int flags)
    {
        byte[] encoded = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, encoded);
        NamespaceSequence s = default;
        s.Entry = NamespaceEntry.Join;
        s.NamespaceType = Interop.CLONE_NEWNET;
        s.Action = NamespaceAction.Open;
        s.Flags = flags | Interop.O_CLOEXEC | Interop.O_NOFOLLOW;
        fixed (byte* p = encoded)
        {
            s.Path = p;
            RunJoined(&s);
        }

        if (s.Failed == NamespaceStep.Enter)
        {
            throw new LinuxSyscallException(s.Errno, "setns(CLONE_NEWNET)", Handle.Path ?? Handle.ToString(), "needs CAP_SYS_ADMIN in the namespace's owning user namespace");
        }

        if (s.Failed != NamespaceStep.None)
        {
            throw new LinuxSyscallException(s.Errno, "open", path, s.Errno == Errno.ENOENT ? "no such sysctl in this network namespace (is the interface there?)" : null);
        }

        return new SafeFileDescriptor(s.Descriptor, ownsHandle: true);
    }
}

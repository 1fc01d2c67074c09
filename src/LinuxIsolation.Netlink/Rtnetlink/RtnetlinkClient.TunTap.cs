using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Creates a persistent tun or tap device in this client's network namespace, the way <c>ip tuntap add</c>
    /// does: <c>open("/dev/net/tun")</c>, <c>ioctl(TUNSETIFF)</c>, optional <c>TUNSETOWNER</c>/<c>TUNSETGROUP</c>,
    /// <c>RTM_GETLINK</c>, <c>ioctl(TUNSETPERSIST, 1)</c>, close (rtnetlink cannot create tun/tap devices on older kernels).
    /// Equivalent to: <c>ip tuntap add dev NAME mode tun|tap [user UID] [group GID] [pi] [vnet_hdr] [multi_queue]</c>.
    /// Needs CAP_NET_ADMIN and <c>/dev/net/tun</c>; remove it with <see cref="DeleteLink(int)"/>.
    /// </summary>
    /// <remarks>
    /// A tun device is created in the network namespace of the thread that opens <c>/dev/net/tun</c>, not in
    /// that of a netlink socket. When this client's namespace (learned from its socket with <c>SIOCGSKNS</c>)
    /// is not the calling thread's, the open happens on a short-lived dedicated thread that enters the client's
    /// namespace, opens the device file and returns to its own namespace before it ends, making only raw libc
    /// calls while inside (the process is terminated if it cannot return); the ioctls then run on the calling thread. That needs CAP_SYS_ADMIN too.
    /// The link is read back before <c>TUNSETPERSIST</c>, the last step: if any step fails, closing the descriptor
    /// removes the device again, so a failed call leaves nothing behind.
    /// </remarks>
    /// <exception cref="ArgumentException">The name is not a valid interface name or the mode is unknown.</exception>
    /// <exception cref="NetlinkException">A syscall failed (ENOENT: no <c>/dev/net/tun</c>; EBUSY/EEXIST: the name is taken by another kind of device; EPERM).</exception>
    public Link CreateTunTap(string name, TunTapMode mode, TunTapOptions? options = null)
    {
        InterfaceName.Validate(name, nameof(name));
        if (mode is not (TunTapMode.Tun or TunTapMode.Tap))
        {
            throw new ArgumentException($"{(int)mode} is not a tun/tap mode.", nameof(mode));
        }

        options ??= new TunTapOptions();
        string operation = $"tuntap add {name} mode {(mode == TunTapMode.Tun ? "tun" : "tap")}";
        using SafeFileDescriptor device = OpenTunInClientNamespace(operation);
        ConfigureTun(device, name, mode, options, operation);

        // Read the link while the device is still bound to this descriptor and not yet persistent: if the lookup
        // fails, closing the descriptor removes the device, and nothing that can fail comes after TUNSETPERSIST.
        // (The device is down, so its flags and state are those it keeps once the descriptor is closed.)
        Link link = GetLink(name);
        if (Interop.ioctl(device, Interop.TUNSETPERSIST, 1) != 0)
        {
            throw NetlinkSocket.LastError($"{operation}: ioctl(TUNSETPERSIST)");
        }

        return link;
    }

    private static unsafe void ConfigureTun(SafeFileDescriptor device, string name, TunTapMode mode, TunTapOptions options, string operation)
    {
        var request = default(Interop.ifreq);
        Encoding.UTF8.GetBytes(name, new Span<byte>(request.ifr_name, 15));
        short flags = mode == TunTapMode.Tun ? Interop.IFF_TUN : Interop.IFF_TAP;
        if (!options.PacketInformation)
        {
            flags |= Interop.IFF_NO_PI;
        }

        if (options.VirtioNetHeader)
        {
            flags |= Interop.IFF_VNET_HDR;
        }

        if (options.MultiQueue)
        {
            flags |= Interop.IFF_MULTI_QUEUE;
        }

        request.ifr_flags = flags;
        if (Interop.ioctl(device, Interop.TUNSETIFF, &request) != 0)
        {
            throw NetlinkSocket.LastError($"{operation}: ioctl(TUNSETIFF)");
        }

        if (options.Owner is uint uid && Interop.ioctl(device, Interop.TUNSETOWNER, (nint)uid) != 0)
        {
            throw NetlinkSocket.LastError($"{operation}: ioctl(TUNSETOWNER, {uid})");
        }

        if (options.Group is uint gid && Interop.ioctl(device, Interop.TUNSETGROUP, (nint)gid) != 0)
        {
            throw NetlinkSocket.LastError($"{operation}: ioctl(TUNSETGROUP, {gid})");
        }
    }

    /// <summary>Opens <c>/dev/net/tun</c> so that it belongs to this client's network namespace.</summary>
    private unsafe SafeFileDescriptor OpenTunInClientNamespace(string operation)
    {
        int nsfd = Interop.ioctl(Socket.Handle, Interop.SIOCGSKNS, null);
        if (nsfd < 0)
        {
            throw NetlinkSocket.LastError($"{operation}: ioctl(SIOCGSKNS)");
        }

        using var clientNamespace = new SafeFileDescriptor(nsfd, ownsHandle: true);
        string? clientId = new FileInfo($"/proc/self/fd/{nsfd}").LinkTarget;
        string? threadId = new FileInfo("/proc/thread-self/ns/net").LinkTarget;
        if (clientId is not null && clientId == threadId)
        {
            return OpenTunDevice(operation);
        }

        return OpenTunInside(clientNamespace, operation);
    }

    private static SafeFileDescriptor OpenTunDevice(string operation)
    {
        int fd = Interop.open("/dev/net/tun", Interop.O_RDWR | Interop.O_CLOEXEC);
        if (fd < 0)
        {
            throw NetlinkSocket.LastError($"{operation}: open(/dev/net/tun)");
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>
    /// Opens <c>/dev/net/tun</c> inside the network namespace <paramref name="target"/> on a new, short-lived thread
    /// (ARCHITECTURE.md's thread rule): at home it opens its own namespace; inside it makes only the <c>setns</c>,
    /// <c>open</c> and <c>setns</c> back, through <see cref="NamespaceSyscalls"/> (no managed stub is entered inside,
    /// so no runtime thread can be started there); the process is terminated if it cannot return.
    /// </summary>
    private static SafeFileDescriptor OpenTunInside(SafeFileDescriptor target, string operation)
    {
        int fd = -1, errno = 0;
        string? step = null;
        bool added = false;
        target.DangerousAddRef(ref added);
        try
        {
            int targetFd = target.DangerousFileDescriptor;
            var thread = new Thread(() =>
            {
                NamespaceSyscalls.EnsureLoaded();
                int original = Interop.open("/proc/thread-self/ns/net", Interop.O_RDONLY | Interop.O_CLOEXEC);
                if (original < 0)
                {
                    errno = Marshal.GetLastPInvokeError();
                    step = "open(/proc/thread-self/ns/net)";
                    return;
                }

                using var originalHandle = new SafeFileDescriptor(original, ownsHandle: true);
                fd = OpenTunAndReturn(targetFd, original, out errno, out step);
            })
            {
                IsBackground = true,
                Name = "LinuxIsolation netns entry",
            };
            thread.UnsafeStart();
            thread.Join();
        }
        finally
        {
            if (added)
            {
                target.DangerousRelease();
            }
        }

        if (step is not null)
        {
            throw new NetlinkException(errno, $"{operation}: {step}");
        }

        return new SafeFileDescriptor(fd, ownsHandle: true);
    }

    /// <summary>The part inside: enter, open the device file, return; errno kept. Returns the descriptor or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int OpenTunAndReturn(int targetFd, int originalFd, out int errno, out string? step)
    {
        if (NamespaceSyscalls.Setns(targetFd, Interop.CLONE_NEWNET, out errno) != 0)
        {
            step = "setns(CLONE_NEWNET)";
            return -1;
        }

        int fd;
        fixed (byte* path = "/dev/net/tun\0"u8)
        {
            fd = NamespaceSyscalls.Open(path, Interop.O_RDWR | Interop.O_CLOEXEC, 0, out errno);
        }

        NamespaceSyscalls.Restore(originalFd, Interop.CLONE_NEWNET);
        step = fd < 0 ? "open(/dev/net/tun)" : null;
        return fd;
    }
}

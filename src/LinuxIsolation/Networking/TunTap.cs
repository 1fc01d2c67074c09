using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIsolation.Namespaces;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Networking;

/// <summary>
/// Persistent tun and tap devices, made the way <c>ip tuntap add</c> makes them (an ioctl on <c>/dev/net/tun</c>:
/// rtnetlink cannot create them on older kernels). The device file is opened in the right network namespace by
/// the library's namespace worker when that is not the calling thread's.
/// </summary>
public static class TunTap
{
    /// <summary>
    /// Creates a persistent tun or tap device in <paramref name="client"/>'s network namespace, the way
    /// <c>ip tuntap add</c> does: <c>open("/dev/net/tun")</c>, <c>ioctl(TUNSETIFF)</c>, optional
    /// <c>TUNSETOWNER</c>/<c>TUNSETGROUP</c>, <c>RTM_GETLINK</c>, <c>ioctl(TUNSETPERSIST, 1)</c>, close.
    /// Equivalent to: <c>ip tuntap add dev NAME mode tun|tap [user UID] [group GID] [pi] [vnet_hdr] [multi_queue]</c>.
    /// Needs CAP_NET_ADMIN and <c>/dev/net/tun</c>; remove it with <see cref="RtnetlinkClient.DeleteLink(int)"/>.
    /// </summary>
    /// <remarks>
    /// A tun device is created in the network namespace of the thread that opens <c>/dev/net/tun</c>, not in that of
    /// a netlink socket. When the client's namespace (learned from its socket with <c>SIOCGSKNS</c>, Linux 4.9) is not
    /// the calling thread's, the library's namespace worker opens the device file inside it (it enters, makes only
    /// the <c>open</c>, and returns; the process is terminated if it cannot return), which needs CAP_SYS_ADMIN too;
    /// the ioctls then run on the calling thread. The link is read back before <c>TUNSETPERSIST</c>, the last step:
    /// if any step fails, closing the descriptor removes the device again, so a failed call leaves nothing behind.
    /// </remarks>
    /// <param name="client">An rtnetlink client of the namespace to create the device in.</param>
    /// <param name="name">The device's name.</param>
    /// <param name="mode">Tun (layer 3) or tap (layer 2).</param>
    /// <param name="options">Owner, group and flags; null for none.</param>
    /// <returns>The new link.</returns>
    /// <exception cref="ArgumentException">The name is not a valid interface name or the mode is unknown.</exception>
    /// <exception cref="LinuxSyscallException">A system call failed (ENOENT: no <c>/dev/net/tun</c>; EBUSY/EEXIST: the name is taken by another kind of device; EPERM).</exception>
    /// <exception cref="NetlinkException">Reading the new link back failed.</exception>
    public static Link CreateTunTap(this RtnetlinkClient client, string name, TunTapMode mode, TunTapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        InterfaceName.Validate(name, nameof(name));
        if (mode is not (TunTapMode.Tun or TunTapMode.Tap))
        {
            throw new ArgumentException($"{(int)mode} is not a tun/tap mode.", nameof(mode));
        }

        options ??= new TunTapOptions();
        string operation = $"tuntap add {name} mode {(mode == TunTapMode.Tun ? "tun" : "tap")}";
        using SafeFileDescriptor device = OpenInClientNamespace(client, operation);
        Configure(device, name, mode, options, operation);

        // Read the link while the device is still bound to this descriptor and not yet persistent: if the lookup
        // fails, closing the descriptor removes the device, and nothing that can fail comes after TUNSETPERSIST.
        // (The device is down, so its flags and state are those it keeps once the descriptor is closed.)
        Link link = client.GetLink(name);
        if (Interop.ioctl(device, Interop.TUNSETPERSIST, 1) != 0)
        {
            throw LinuxSyscallException.FromLastError("ioctl(TUNSETPERSIST)", "/dev/net/tun", operation);
        }

        return link;
    }

    private static unsafe void Configure(SafeFileDescriptor device, string name, TunTapMode mode, TunTapOptions options, string operation)
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
            throw LinuxSyscallException.FromLastError("ioctl(TUNSETIFF)", "/dev/net/tun", operation);
        }

        if (options.Owner is uint uid && Interop.ioctl(device, Interop.TUNSETOWNER, (nint)uid) != 0)
        {
            throw LinuxSyscallException.FromLastError($"ioctl(TUNSETOWNER, {uid})", "/dev/net/tun", operation);
        }

        if (options.Group is uint gid && Interop.ioctl(device, Interop.TUNSETGROUP, (nint)gid) != 0)
        {
            throw LinuxSyscallException.FromLastError($"ioctl(TUNSETGROUP, {gid})", "/dev/net/tun", operation);
        }
    }

    /// <summary>Opens <c>/dev/net/tun</c> so that it belongs to the client's network namespace.</summary>
    private static unsafe SafeFileDescriptor OpenInClientNamespace(RtnetlinkClient client, string operation)
    {
        int nsfd = Interop.ioctl(client.Socket.Handle, Interop.SIOCGSKNS, null);
        if (nsfd < 0)
        {
            throw LinuxSyscallException.FromLastError("ioctl(SIOCGSKNS)", null, operation);
        }

        using var clientNamespace = new SafeFileDescriptor(nsfd, ownsHandle: true);
        string? clientId = new FileInfo($"/proc/self/fd/{nsfd}").LinkTarget;
        string? threadId = new FileInfo("/proc/thread-self/ns/net").LinkTarget;
        if (clientId is not null && clientId == threadId)
        {
            int fd = Interop.open("/dev/net/tun", Interop.O_RDWR | Interop.O_CLOEXEC, 0);
            if (fd < 0)
            {
                throw LinuxSyscallException.FromLastError("open", "/dev/net/tun", operation);
            }

            return new SafeFileDescriptor(fd, ownsHandle: true);
        }

        NamespaceSequence s = default;
        s.Entry = NamespaceEntry.Join;
        s.NamespaceType = Interop.CLONE_NEWNET;
        s.TargetFd = nsfd;
        s.Action = NamespaceAction.Open;
        s.Flags = Interop.O_RDWR | Interop.O_CLOEXEC;
        fixed (byte* path = "/dev/net/tun\0"u8)
        {
            s.Path = path;
            NamespaceWorker.Run(&s);
        }

        if (s.Failed != NamespaceStep.None)
        {
            bool entering = s.Failed == NamespaceStep.Enter;
            throw new LinuxSyscallException(s.Errno, entering ? "setns(CLONE_NEWNET)" : "open", entering ? null : "/dev/net/tun",
                entering ? $"{operation}: entering the client's network namespace needs CAP_SYS_ADMIN" : operation);
        }

        return new SafeFileDescriptor(s.Descriptor, ownsHandle: true);
    }
}

using System.Runtime.InteropServices;

namespace LinuxIsolation;

internal static unsafe partial class Interop
{
    // linux/if_tun.h: the ioctls of /dev/net/tun.
    /// <summary><c>_IOW('T', 202, int)</c>: attach (creating if needed) a tun/tap device.</summary>
    internal const uint TUNSETIFF = 0x400454CA;
    /// <summary><c>_IOW('T', 203, int)</c>: keep the device after the descriptor closes.</summary>
    internal const uint TUNSETPERSIST = 0x400454CB;
    /// <summary><c>_IOW('T', 204, int)</c>: owner uid.</summary>
    internal const uint TUNSETOWNER = 0x400454CC;
    /// <summary><c>_IOW('T', 206, int)</c>: owner gid.</summary>
    internal const uint TUNSETGROUP = 0x400454CE;
    /// <summary><c>SIOCGSKNS</c> (linux/sockios.h): open the network namespace of a socket (Linux 4.9+).</summary>
    internal const uint SIOCGSKNS = 0x894C;

    internal const short IFF_TUN = 0x0001;
    internal const short IFF_TAP = 0x0002;
    internal const short IFF_MULTI_QUEUE = 0x0100;
    internal const short IFF_NO_PI = 0x1000;
    internal const short IFF_VNET_HDR = 0x4000;

    /// <summary>
    /// The part of <c>struct ifreq</c> TUNSETIFF uses (the union is 24 bytes; the struct 40):
    /// <code>
    /// struct ifreq {
    ///     char ifr_name[IFNAMSIZ]; /* 16 */
    ///     union { short ifr_flags; ... /* 24 bytes */ };
    /// };
    /// </code>
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 40)]
    internal struct ifreq
    {
        internal fixed byte ifr_name[16];
        internal short ifr_flags;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(SafeHandle fd, nuint request, void* argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(SafeHandle fd, nuint request, nint argument);
}

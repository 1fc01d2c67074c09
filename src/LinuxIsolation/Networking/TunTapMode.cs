namespace LinuxIsolation.Networking;

/// <summary>The kind of a tun/tap device (<c>IFF_TUN</c>, <c>IFF_TAP</c> in <c>linux/if_tun.h</c>).</summary>
public enum TunTapMode
{
    /// <summary>A layer-3 device carrying IP packets (<c>ip tuntap add ... mode tun</c>).</summary>
    Tun = 1,
    /// <summary>A layer-2 device carrying Ethernet frames (<c>ip tuntap add ... mode tap</c>).</summary>
    Tap = 2,
}

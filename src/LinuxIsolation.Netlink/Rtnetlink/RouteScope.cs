namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Scopes of addresses and routes (<c>RT_SCOPE_*</c> in <c>linux/rtnetlink.h</c>), as <c>ip ... scope SCOPE</c> takes them.</summary>
public enum RouteScope : byte
{
    /// <summary><c>RT_SCOPE_UNIVERSE</c> ("global"): valid everywhere.</summary>
    Universe = 0,
    /// <summary><c>RT_SCOPE_SITE</c>: valid inside the site (IPv6).</summary>
    Site = 200,
    /// <summary><c>RT_SCOPE_LINK</c>: valid on the link only (directly connected).</summary>
    Link = 253,
    /// <summary><c>RT_SCOPE_HOST</c>: valid inside this host only (loopback).</summary>
    Host = 254,
    /// <summary><c>RT_SCOPE_NOWHERE</c>: no destination.</summary>
    Nowhere = 255,
}

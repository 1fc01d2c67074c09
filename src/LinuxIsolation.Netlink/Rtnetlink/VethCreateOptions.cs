namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Settings of the end named first that the kernel applies while it creates a veth pair, in the creation request
/// itself: <c>ip link add NAME [up] [master MASTER] type veth peer name PEER ...</c>. Both save a request and
/// leave no moment where the end exists outside its bridge. The peer cannot be set up in the same request (the
/// kernel opens it before the pair is complete and refuses with ENOTCONN): set it up from its namespace.
/// </summary>
public readonly record struct VethCreateOptions
{
    /// <summary>The index of the bridge (or other master) the end becomes a port of (<c>IFLA_MASTER</c>); 0 for none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>Whether the end is set administratively up (<c>IFF_UP</c> in the request's <c>ifinfomsg</c>).</summary>
    public bool Up { get; init; }
}

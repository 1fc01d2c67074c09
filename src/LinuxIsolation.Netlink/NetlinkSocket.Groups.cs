namespace LinuxIsolation.Netlink;

public sealed partial class NetlinkSocket
{
    /// <summary>
    /// Subscribes to multicast group <paramref name="group"/> (<c>NETLINK_ADD_MEMBERSHIP</c>), e.g.
    /// <c>RTNLGRP_LINK</c>; events then arrive through <see cref="ReceiveEvents"/>.
    /// Equivalent to the subscription <c>ip monitor</c> makes. Joining needs no capability for rtnetlink groups.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused (e.g. <c>EINVAL</c> for a group this protocol lacks).</exception>
    public void JoinGroup(uint group) =>
        _transport.SetOption(Interop.SOL_NETLINK, Interop.NETLINK_ADD_MEMBERSHIP, (int)group, $"NETLINK_ADD_MEMBERSHIP, {group}");

    /// <summary>Unsubscribes from multicast group <paramref name="group"/> (<c>NETLINK_DROP_MEMBERSHIP</c>).</summary>
    /// <exception cref="NetlinkException">The kernel refused.</exception>
    public void LeaveGroup(uint group) =>
        _transport.SetOption(Interop.SOL_NETLINK, Interop.NETLINK_DROP_MEMBERSHIP, (int)group, $"NETLINK_DROP_MEMBERSHIP, {group}");
}

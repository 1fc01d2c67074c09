using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Creates an ifb (intermediate functional block) link: a device whose egress shapes what a filter redirects to it,
    /// the way to limit a link's ingress. Equivalent to: <c>ip link add NAME type ifb</c>. Needs CAP_NET_ADMIN and a
    /// kernel with <c>CONFIG_IFB</c>; bring it up with <see cref="SetLinkUp(string)"/> before redirecting to it.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid interface name.</exception>
    /// <exception cref="NetlinkException">The kernel refused (EEXIST: the name is taken; EOPNOTSUPP: no ifb in this kernel).</exception>
    public Link CreateIfb(string name) => CreateLink(name, "ifb");

    /// <summary>
    /// Adds a token bucket filter qdisc to a link (by default at its root with handle <c>1:</c>, as the CNI bandwidth
    /// plugin does): egress traffic leaves at <see cref="TokenBucket.RateBytesPerSecond"/> with bursts of
    /// <see cref="TokenBucket.BurstBytes"/>. Equivalent to: <c>tc qdisc add dev DEV root handle 1: tbf rate R burst B
    /// latency L|limit N [peakrate P mtu M]</c>. Needs CAP_NET_ADMIN and <c>CONFIG_NET_SCH_TBF</c>; rates from 2^32
    /// bytes/s need Linux 3.13.
    /// </summary>
    /// <param name="linkIndex">The link.</param>
    /// <param name="bucket">The settings.</param>
    /// <param name="handle">The qdisc's handle; <c>1:</c> when null.</param>
    /// <param name="parent">Where it hangs; <see cref="TrafficControlHandle.Root"/> when null.</param>
    /// <exception cref="ArgumentException">The settings are inconsistent (see <see cref="TokenBucket.Validate"/>), or the index is not positive.</exception>
    /// <exception cref="NetlinkException">
    /// The kernel refused: EEXIST (a qdisc is already there: <see cref="ReplaceTokenBucket"/> replaces it), ENODEV, EINVAL.
    /// </exception>
    public void AddTokenBucket(int linkIndex, TokenBucket bucket, TrafficControlHandle? handle = null, TrafficControlHandle? parent = null) =>
        ChangeTokenBucket(linkIndex, bucket, handle, parent, replace: false);

    /// <summary>
    /// Adds a token bucket filter qdisc, or replaces the qdisc at that place. Equivalent to: <c>tc qdisc replace dev DEV
    /// root handle 1: tbf rate R burst B latency L</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <inheritdoc cref="AddTokenBucket"/>
    public void ReplaceTokenBucket(int linkIndex, TokenBucket bucket, TrafficControlHandle? handle = null, TrafficControlHandle? parent = null) =>
        ChangeTokenBucket(linkIndex, bucket, handle, parent, replace: true);

    /// <summary>
    /// Adds a link's ingress qdisc (handle <c>ffff:</c>), which filters of received packets hang from. Equivalent to:
    /// <c>tc qdisc add dev DEV ingress</c>. Needs CAP_NET_ADMIN and <c>CONFIG_NET_SCH_INGRESS</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (the link has one, or a clsact qdisc), ENODEV.</exception>
    public void AddIngressQdisc(int linkIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        _requests.Execute(linkIndex, static (ref NetlinkWriter w, int i) => TrafficControlMessages.WriteAddIngress(ref w, i),
            $"RTM_NEWQDISC ingress dev {linkIndex}", TrafficControlMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Deletes the qdisc at the root of a link's egress, and all under it; the link falls back to its default qdisc.
    /// Equivalent to: <c>tc qdisc del dev DEV root</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENOENT ("Cannot delete qdisc with handle of zero": the link has only its default qdisc), ENODEV.</exception>
    public void DeleteRootQdisc(int linkIndex) => DeleteQdisc(linkIndex, TrafficControlHandle.Root);

    /// <summary>
    /// Deletes the qdisc whose parent is <paramref name="parent"/> (with a handle, only if it has that handle), and all
    /// under it. Equivalent to: <c>tc qdisc del dev DEV root | parent P [handle H]</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENOENT (no such qdisc), EINVAL, ENODEV.</exception>
    public void DeleteQdisc(int linkIndex, TrafficControlHandle parent, TrafficControlHandle handle = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        _requests.Execute((linkIndex, parent, handle),
            static (ref NetlinkWriter w, (int Link, TrafficControlHandle Parent, TrafficControlHandle Handle) s) => TrafficControlMessages.WriteDeleteQdisc(ref w, s.Link, s.Parent, s.Handle),
            $"RTM_DELQDISC dev {linkIndex} parent {parent}", TrafficControlMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Deletes a link's ingress qdisc and the filters under it. Equivalent to: <c>tc qdisc del dev DEV ingress</c>.
    /// Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EINVAL or ENOENT (the link has no ingress qdisc), ENODEV.</exception>
    public void DeleteIngressQdisc(int linkIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        _requests.Execute(linkIndex, static (ref NetlinkWriter w, int i) => TrafficControlMessages.WriteDeleteIngress(ref w, i),
            $"RTM_DELQDISC ingress dev {linkIndex}", TrafficControlMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists the qdiscs of one link, or of every link for 0, with their counters (bytes and packets sent, drops,
    /// overlimits, backlog). Equivalent to: <c>tc -s qdisc show [dev DEV]</c> (the kernel dumps every link's; the
    /// client keeps the link's, as tc does).
    /// </summary>
    /// <param name="linkIndex">The link, or 0 for all.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted by a concurrent change.</param>
    /// <returns>The qdiscs; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<Qdisc> ListQdiscs(int linkIndex = 0, int maxRetries = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(linkIndex);
        NetlinkDumpResult<Qdisc> all = _requests.Dump<int, Qdisc>(linkIndex, static (ref NetlinkWriter w, int i) => TrafficControlMessages.WriteDumpQdiscs(ref w, i),
            ParseQdisc, maxRetries, "RTM_GETQDISC dump", TrafficControlMessages.FamilyHeaderSize);
        return linkIndex == 0 ? all : all.Where(q => q.LinkIndex == linkIndex);
    }

    /// <summary>
    /// Adds a u32 filter that matches every packet under <paramref name="parent"/> (the ingress qdisc by default) and
    /// redirects it to link <paramref name="targetIndex"/>, as the CNI bandwidth plugin sends a veth's received traffic
    /// to the ifb that shapes it. Equivalent to: <c>tc filter add dev DEV parent ffff: protocol all prio 1 u32 match u32
    /// 0 0 flowid 1:1 action mirred egress redirect dev TARGET</c>. Needs CAP_NET_ADMIN, <c>CONFIG_NET_CLS_U32</c> and
    /// <c>CONFIG_NET_ACT_MIRRED</c>.
    /// </summary>
    /// <param name="linkIndex">The link whose traffic is redirected.</param>
    /// <param name="targetIndex">The link it is sent to (an ifb).</param>
    /// <param name="parent">The qdisc the filter hangs from; <see cref="TrafficControlHandle.IngressQdisc"/> when null.</param>
    /// <param name="priority">The filter's priority (<c>prio</c>), 1..65535.</param>
    /// <param name="protocol">The link-layer protocol matched (<see cref="EtherTypes"/>); every protocol by default.</param>
    /// <param name="classId">The class assigned (<c>flowid</c>); <c>1:1</c> when null, as the bandwidth plugin sets it.</param>
    /// <param name="action">What mirred does; an egress redirect by default.</param>
    /// <exception cref="ArgumentException">An index is not positive, the priority is 0 or the action unknown.</exception>
    /// <exception cref="NetlinkException">The kernel refused: EINVAL ("Parent Qdisc doesn't exists" without an ingress qdisc), ENODEV (no such target).</exception>
    public void AddRedirectFilter(int linkIndex, int targetIndex, TrafficControlHandle? parent = null, ushort priority = 1, ushort protocol = EtherTypes.All,
        TrafficControlHandle? classId = null, MirredAction action = MirredAction.EgressRedirect)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetIndex);
        TrafficControlHandle p = parent ?? TrafficControlHandle.IngressQdisc;
        _requests.Execute((linkIndex, p, priority, protocol, classId ?? TrafficControlHandle.Create(1, 1), action, targetIndex),
            static (ref NetlinkWriter w, (int Link, TrafficControlHandle Parent, ushort Priority, ushort Protocol, TrafficControlHandle ClassId, MirredAction Action, int Target) s) =>
                TrafficControlMessages.WriteAddRedirectFilter(ref w, s.Link, s.Parent, s.Priority, s.Protocol, s.ClassId, s.Action, s.Target),
            $"RTM_NEWTFILTER u32 dev {linkIndex} parent {p} prio {priority} mirred to {targetIndex}", TrafficControlMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists the filters under <paramref name="parent"/> of a link (a u32 filter shows as its priority's head, its hash
    /// table and each match). Equivalent to: <c>tc filter show dev DEV parent P</c>.
    /// </summary>
    /// <param name="linkIndex">The link.</param>
    /// <param name="parent">The qdisc or class; <see cref="TrafficControlHandle.IngressQdisc"/> when null.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted by a concurrent change.</param>
    /// <returns>The filters; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump (EINVAL: no such qdisc).</exception>
    public NetlinkDumpResult<TrafficFilter> ListFilters(int linkIndex, TrafficControlHandle? parent = null, int maxRetries = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        TrafficControlHandle p = parent ?? TrafficControlHandle.IngressQdisc;
        return _requests.Dump<(int, TrafficControlHandle), TrafficFilter>((linkIndex, p),
            static (ref NetlinkWriter w, (int Link, TrafficControlHandle Parent) s) => TrafficControlMessages.WriteDumpFilters(ref w, s.Link, s.Parent),
            ParseFilter, maxRetries, $"RTM_GETTFILTER dump dev {linkIndex} parent {p}", TrafficControlMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Deletes the filters under <paramref name="parent"/> of one priority and protocol, or all of them for priority 0.
    /// Equivalent to: <c>tc filter del dev DEV parent P [protocol PROTO prio N]</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not positive.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENOENT (no filter of that priority), EINVAL (no such qdisc).</exception>
    public void DeleteFilters(int linkIndex, TrafficControlHandle? parent = null, ushort priority = 0, ushort protocol = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        TrafficControlHandle p = parent ?? TrafficControlHandle.IngressQdisc;
        _requests.Execute((linkIndex, p, priority, protocol),
            static (ref NetlinkWriter w, (int Link, TrafficControlHandle Parent, ushort Priority, ushort Protocol) s) => TrafficControlMessages.WriteDeleteFilters(ref w, s.Link, s.Parent, s.Priority, s.Protocol),
            $"RTM_DELTFILTER dev {linkIndex} parent {p} prio {priority}", TrafficControlMessages.FamilyHeaderSize);
    }

    private void ChangeTokenBucket(int linkIndex, TokenBucket bucket, TrafficControlHandle? handle, TrafficControlHandle? parent, bool replace)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(linkIndex);
        bucket.Validate(nameof(bucket));
        TrafficControlHandle h = handle ?? TrafficControlHandle.Create(1, 0);
        TrafficControlHandle p = parent ?? TrafficControlHandle.Root;

        // The request carries a 1 KiB rate table (two with a peak rate): more than an ordinary request's buffer.
        int size = bucket.PeakRateBytesPerSecond is null ? TrafficControlMessages.TokenBucketRequestSize : TrafficControlMessages.MaxRequestSize;
        _requests.Execute((linkIndex, bucket, h, p, replace),
            static (ref NetlinkWriter w, (int Link, TokenBucket Bucket, TrafficControlHandle Handle, TrafficControlHandle Parent, bool Replace) s) =>
                TrafficControlMessages.WriteAddTokenBucket(ref w, s.Link, s.Bucket, s.Handle, s.Parent, s.Replace),
            $"RTM_NEWQDISC tbf dev {linkIndex} handle {h} parent {p} rate {bucket.RateBytesPerSecond}B/s burst {bucket.BurstBytes}B{(replace ? " (replace)" : string.Empty)}",
            TrafficControlMessages.FamilyHeaderSize, size);
    }

    private static bool ParseQdisc(NetlinkMessage message, out Qdisc qdisc)
    {
        qdisc = TrafficControlMessages.ParseQdisc(message);
        return true;
    }

    private static bool ParseFilter(NetlinkMessage message, out TrafficFilter filter)
    {
        filter = TrafficControlMessages.ParseFilter(message);
        return true;
    }
}

using System;
using LinuxIsolation.Cni;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.LxiCni;

/// <summary>
/// The <c>bandwidth</c> capability, with the reference <c>bandwidth</c> plugin's semantics (rates in bits a second,
/// bursts in bits, a token bucket with 25 ms latency): <c>ingressRate</c>/<c>ingressBurst</c> limit what reaches the
/// container with a tbf at the root of the host-side veth (its egress is the container's ingress);
/// <c>egressRate</c>/<c>egressBurst</c> limit what the container sends: the host veth's ingress qdisc redirects every
/// packet (u32 match-all, mirred egress redirect) to an ifb device, <c>lxb</c> + 8 hex digits of the same hash as the
/// veth's name, whose root tbf shapes it. A direction is shaped only when both its rate and burst are set, as in the
/// reference. Deleting the veth removes its qdiscs and filter; the ifb is deleted by DEL and GC.
/// </summary>
internal static class BandwidthShaper
{
    /// <summary>The ifb of an attachment.</summary>
    public static string IfbName(string containerId, string ifName) => "lxb" + BridgePlugin.HostVethName(containerId, ifName)[4..];

    /// <summary>The token buckets asked for (null: that direction is not shaped); code 7 naming the field when the values are not usable.</summary>
    public static (TokenBucket? Ingress, TokenBucket? Egress) From(CniNetworkConfig config)
    {
        CniBandwidth? b = config.RuntimeConfig?.Bandwidth;
        return b is null ? (null, null) : (Bucket(b.IngressRate, b.IngressBurst, "ingress"), Bucket(b.EgressRate, b.EgressBurst, "egress"));
    }

    private static TokenBucket? Bucket(long? rate, long? burst, string direction)
    {
        if (rate is null or 0 && burst is null or 0)
        {
            return null;
        }

        string field = $"runtimeConfig.bandwidth.{direction}";
        if (rate is not > 0 || burst is not > 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}Rate\" and \"{field}Burst\" must both be set (and positive) to shape {direction} traffic; they are {rate?.ToString() ?? "unset"} and {burst?.ToString() ?? "unset"}.");
        }

        try
        {
            TokenBucket bucket = TokenBucket.FromBits((ulong)rate.Value, (ulong)burst.Value);
            bucket.Validate(field);
            return bucket;
        }
        catch (ArgumentException e)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"\"{field}Rate\" {rate} / \"{field}Burst\" {burst}: {e.Message}");
        }
    }

    /// <summary>Shapes the attachment whose host veth is <paramref name="hostIndex"/>; pushes the ifb's removal on <paramref name="undo"/> before anything else can fail.</summary>
    public static void Apply(RtnetlinkClient host, int hostIndex, string containerId, string ifName, int? mtu, TokenBucket? ingress, TokenBucket? egress,
        System.Collections.Generic.Stack<(string What, Action Action)> undo)
    {
        if (ingress is not null)
        {
            host.AddTokenBucket(hostIndex, ingress);
        }

        if (egress is not null)
        {
            string name = IfbName(containerId, ifName);
            Link ifb = host.CreateIfb(name);
            undo.Push(($"delete ifb {name}", () => host.DeleteLink(ifb.Index)));
            if (mtu is int m)
            {
                host.SetLinkMtu(ifb.Index, (uint)m);
            }

            host.SetLinkUp(ifb.Index);
            host.AddIngressQdisc(hostIndex);
            host.AddRedirectFilter(hostIndex, ifb.Index);
            host.AddTokenBucket(ifb.Index, egress);
        }
    }

    /// <summary>CHECK: the tbf qdiscs and the ifb are there.</summary>
    public static void Check(RtnetlinkClient host, int hostIndex, string containerId, string ifName, TokenBucket? ingress, TokenBucket? egress)
    {
        if (ingress is not null && !HasTokenBucket(host, hostIndex, ingress))
        {
            throw new CniException(CniErrorCode.CheckFailed, $"CHECK: the host veth has no root tbf of {ingress.RateBytesPerSecond} bytes/s.");
        }

        if (egress is not null)
        {
            string name = IfbName(containerId, ifName);
            if (!host.TryGetLink(name, out Link? ifb) || !HasTokenBucket(host, ifb.Index, egress))
            {
                throw new CniException(CniErrorCode.CheckFailed, $"CHECK: ifb {name} with a root tbf of {egress.RateBytesPerSecond} bytes/s does not exist.");
            }
        }
    }

    private static bool HasTokenBucket(RtnetlinkClient host, int index, TokenBucket expected)
    {
        foreach (Qdisc q in host.ListQdiscs(index).Items)
        {
            if (q.IsRoot && q.Kind == "tbf" && q.TokenBucket?.RateBytesPerSecond == expected.RateBytesPerSecond)
            {
                return true;
            }
        }

        return false;
    }
}

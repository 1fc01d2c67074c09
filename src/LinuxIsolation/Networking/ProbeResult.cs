using System;
using System.Net;

namespace LinuxIsolation.Networking;

/// <summary>What a probe from inside a network namespace found (<see cref="Namespaces.NetworkNamespace.Ping"/>, <see cref="Namespaces.NetworkNamespace.ConnectTcp"/>).</summary>
/// <param name="Outcome">How the probe ended.</param>
/// <param name="Elapsed">From sending (or starting to connect) to the answer, or to giving up.</param>
/// <param name="RespondedBy">Who answered: the destination for <see cref="ProbeOutcome.Reachable"/> and <see cref="ProbeOutcome.Refused"/>, the router that sent ICMP destination unreachable, or null.</param>
/// <param name="Detail">For <see cref="ProbeOutcome.Unreachable"/>: the errno name or ICMP code; otherwise null.</param>
public sealed record ProbeResult(ProbeOutcome Outcome, TimeSpan Elapsed, IPAddress? RespondedBy, string? Detail = null)
{
    /// <summary>True when <see cref="Outcome"/> is <see cref="ProbeOutcome.Reachable"/>.</summary>
    public bool Succeeded => Outcome == ProbeOutcome.Reachable;
}

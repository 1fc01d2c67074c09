namespace LinuxIsolation.Networking;

/// <summary>How a reachability probe from inside a network namespace ended (<see cref="ProbeResult.Outcome"/>).</summary>
public enum ProbeOutcome
{
    /// <summary>The destination answered: an ICMP echo reply came back, or the TCP connection was accepted.</summary>
    Reachable,

    /// <summary>No answer within the timeout (the packets were dropped, or nobody is there and no router said so).</summary>
    TimedOut,

    /// <summary>TCP only: the destination answered with a reset (ECONNREFUSED): the host is there, nothing listens on the port.</summary>
    Refused,

    /// <summary>
    /// The namespace has no route to the destination (ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL when sending), or a
    /// router or the destination answered with ICMP destination unreachable.
    /// </summary>
    Unreachable,
}

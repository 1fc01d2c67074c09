namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>One action of a filter (<c>TCA_U32_ACT</c> and the like), as <c>tc filter show</c> lists it under <c>action order N</c>.</summary>
/// <param name="Kind">The action's kind (<c>TCA_ACT_KIND</c>), e.g. "mirred", "gact", "police".</param>
/// <param name="Order">Its position in the filter's action list (1 is first).</param>
public sealed record TrafficAction(string Kind, int Order)
{
    /// <summary>For a mirred action: what it does.</summary>
    public MirredAction? Mirred { get; init; }

    /// <summary>For a mirred action: the target link's index.</summary>
    public int? TargetIndex { get; init; }

    /// <summary>For a mirred action: the verdict after it (<c>TC_ACT_STOLEN</c> = 4 for a redirect, <c>TC_ACT_PIPE</c> = 3 for a mirror).</summary>
    public int? Verdict { get; init; }

    /// <summary>The kernel's index of the action instance.</summary>
    public uint? Index { get; init; }
}

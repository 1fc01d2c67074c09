using System;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Rtnetlink;

public sealed partial class RtnetlinkClient
{
    /// <summary>
    /// Adds a policy routing rule. Equivalent to: <c>ip [-6] rule add [not] [from P] [to P] [fwmark M[/K]] [iif I] [oif O]
    /// [lookup T | blackhole | unreachable | prohibit] [suppress_prefixlength N] [priority N]</c>. Needs CAP_NET_ADMIN.
    /// Rules need Linux 2.6.19 (<c>FRA_TABLE</c> above 255, <c>iif</c>); <c>oif</c> 2.6.33, <c>suppress_prefixlength</c> 3.12.
    /// </summary>
    /// <exception cref="ArgumentException">The rule is inconsistent (checked before anything is sent).</exception>
    /// <exception cref="NetlinkException">The kernel refused: EEXIST (the same rule exists), EINVAL (with the kernel's text).</exception>
    public void AddRule(RoutingRule rule)
    {
        RuleMessages.Validate(rule);
        _requests.Execute(rule, static (ref NetlinkWriter w, RoutingRule r) => RuleMessages.WriteAdd(ref w, r), $"RTM_NEWRULE {rule}", RuleMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Deletes the first rule matching <paramref name="rule"/>; the kernel compares only what is set, so a priority
    /// alone names a rule. Equivalent to: <c>ip [-6] rule del [selectors] [priority N]</c>. Needs CAP_NET_ADMIN.
    /// </summary>
    /// <exception cref="ArgumentException">The rule is inconsistent.</exception>
    /// <exception cref="NetlinkException">The kernel refused: ENOENT (no such rule), EPERM (a permanent rule such as the local table's).</exception>
    public void DeleteRule(RoutingRule rule)
    {
        RuleMessages.Validate(rule);
        _requests.Execute(rule, static (ref NetlinkWriter w, RoutingRule r) => RuleMessages.WriteDelete(ref w, r), $"RTM_DELRULE {rule}", RuleMessages.FamilyHeaderSize);
    }

    /// <summary>
    /// Lists the rules of one family, or of both, in priority order. Equivalent to: <c>ip [-4|-6] rule show</c>
    /// (<see cref="AddressFamily.Unspecified"/> lists both families, IPv4 first).
    /// </summary>
    /// <param name="family"><see cref="AddressFamily.InterNetwork"/> (iproute2's default), <see cref="AddressFamily.InterNetworkV6"/> or <see cref="AddressFamily.Unspecified"/>.</param>
    /// <param name="maxRetries">How many times to repeat a dump the kernel flags as interrupted by a concurrent change.</param>
    /// <returns>The rules; <see cref="NetlinkDumpResult{T}.Interrupted"/> says whether the last attempt was still interrupted.</returns>
    /// <exception cref="ArgumentException">The family is not one of the three above.</exception>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public NetlinkDumpResult<RoutingRule> ListRules(AddressFamily family = AddressFamily.InterNetwork, int maxRetries = 3)
    {
        _ = AddressMessages.ToKernelFamily(family);
        return _requests.Dump<AddressFamily, RoutingRule>(family, static (ref NetlinkWriter w, AddressFamily f) => RuleMessages.WriteDump(ref w, f),
            ParseRule, maxRetries, "RTM_GETRULE dump", RuleMessages.FamilyHeaderSize);
    }

    private static bool ParseRule(NetlinkMessage message, out RoutingRule rule)
    {
        bool ok = RuleMessages.TryParse(message, out RoutingRule? parsed);
        rule = parsed!;
        return ok;
    }
}

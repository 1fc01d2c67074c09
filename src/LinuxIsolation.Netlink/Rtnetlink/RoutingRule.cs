using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// A policy routing rule (<c>ip rule</c>): which packets it selects (source and destination prefixes, firewall mark,
/// input and output interface) and what it does with them (look the route up in a table, or drop them), in priority
/// order. Attributes the kernel did not send are null; to add, unset selectors mean "any".
/// </summary>
public sealed record RoutingRule
{
    /// <summary>
    /// The rule's family (<c>ip -4|-6 rule</c>); <see cref="AddressFamily.Unspecified"/> takes that of
    /// <see cref="Source"/> or <see cref="Destination"/>, else IPv4. Rules of each family form their own list.
    /// </summary>
    public AddressFamily Family { get; init; } = AddressFamily.Unspecified;

    /// <summary>The priority (<c>priority</c>/<c>pref</c>, <c>FRA_PRIORITY</c>): lower is evaluated first; null when adding lets the kernel pick one just below the first non-zero existing rule.</summary>
    public uint? Priority { get; init; }

    /// <summary>The source prefix (<c>from PREFIX</c>, <c>FRA_SRC</c>); null for any.</summary>
    public IPNetwork? Source { get; init; }

    /// <summary>The destination prefix (<c>to PREFIX</c>, <c>FRA_DST</c>); null for any.</summary>
    public IPNetwork? Destination { get; init; }

    /// <summary>The firewall mark to match (<c>fwmark MARK</c>, <c>FRA_FWMARK</c>), e.g. set by an nf_tables <c>meta mark set</c>.</summary>
    public uint? FirewallMark { get; init; }

    /// <summary>The mask applied to the packet's mark before comparing (<c>fwmark MARK/MASK</c>, <c>FRA_FWMASK</c>); null means all ones.</summary>
    public uint? FirewallMask { get; init; }

    /// <summary>The input interface by name (<c>iif NAME</c>, <c>FRA_IIFNAME</c>; "lo" selects locally generated packets). The interface need not exist yet.</summary>
    public string? InputInterface { get; init; }

    /// <summary>The output interface by name (<c>oif NAME</c>, <c>FRA_OIFNAME</c>; for sockets bound to a device). Linux 2.6.33.</summary>
    public string? OutputInterface { get; init; }

    /// <summary>
    /// The table looked up (<c>lookup TABLE</c>: 254 main, 255 local, 253 default); ids above 255 travel in
    /// <c>FRA_TABLE</c>. Null: main when adding a <see cref="RoutingRuleAction.ToTable"/> rule, as <c>ip rule add</c> does; any when deleting.
    /// </summary>
    public uint? Table { get; init; }

    /// <summary>What the rule does; null means <see cref="RoutingRuleAction.ToTable"/> when adding, any when deleting.</summary>
    public RoutingRuleAction? Action { get; init; }

    /// <summary>
    /// Rejects the routing decision of the table when the route found has a prefix this long or shorter
    /// (<c>suppress_prefixlength N</c>, <c>FRA_SUPPRESS_PREFIXLEN</c>; 0 ignores default routes of the table). Linux 3.12.
    /// </summary>
    public int? SuppressPrefixLength { get; init; }

    /// <summary>Inverts the selection (<c>not</c>, <c>FIB_RULE_INVERT</c>): the rule applies to packets it does not select.</summary>
    public bool Invert { get; init; }

    /// <summary>Who installed the rule (<c>protocol PROTO</c>, <c>FRA_PROTOCOL</c>, Linux 4.17); the kernel reports <see cref="RouteProtocol.Unspecified"/> for rules added without one, <see cref="RouteProtocol.Kernel"/> for its own.</summary>
    public RouteProtocol? Protocol { get; init; }

    /// <summary>The family the rule belongs to: <see cref="Family"/>, else that of its prefixes, else IPv4.</summary>
    public AddressFamily EffectiveFamily =>
        Family != AddressFamily.Unspecified ? Family
        : Source?.BaseAddress.AddressFamily ?? Destination?.BaseAddress.AddressFamily ?? AddressFamily.InterNetwork;

    /// <summary>The rule much as <c>ip rule show</c> prints it: <c>1000: from 10.1.0.0/24 lookup 100</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Priority is uint p)
        {
            sb.Append(p.ToString(CultureInfo.InvariantCulture)).Append(": ");
        }

        if (Invert)
        {
            sb.Append("not ");
        }

        sb.Append("from ").Append(Source is IPNetwork s ? s.ToString() : "all");
        if (Destination is IPNetwork d)
        {
            sb.Append(" to ").Append(d);
        }

        if (FirewallMark is uint mark)
        {
            sb.Append(" fwmark 0x").Append(mark.ToString("x", CultureInfo.InvariantCulture));
            if (FirewallMask is uint mask && mask != uint.MaxValue)
            {
                sb.Append("/0x").Append(mask.ToString("x", CultureInfo.InvariantCulture));
            }
        }

        if (InputInterface is not null)
        {
            sb.Append(" iif ").Append(InputInterface);
        }

        if (OutputInterface is not null)
        {
            sb.Append(" oif ").Append(OutputInterface);
        }

        switch (Action ?? RoutingRuleAction.ToTable)
        {
            case RoutingRuleAction.ToTable:
                sb.Append(" lookup ").Append(Table switch
                {
                    RouteMessages.RT_TABLE_MAIN => "main",
                    RouteMessages.RT_TABLE_LOCAL => "local",
                    253 => "default",
                    uint t => t.ToString(CultureInfo.InvariantCulture),
                    null => "main",
                });
                break;
            case RoutingRuleAction a:
                sb.Append(' ').Append(a.ToString().ToLowerInvariant());
                break;
        }

        if (SuppressPrefixLength is int spl)
        {
            sb.Append(" suppress_prefixlength ").Append(spl.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}

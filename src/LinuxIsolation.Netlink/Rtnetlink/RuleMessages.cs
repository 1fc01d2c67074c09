using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>
/// Encoders and decoder of policy routing rule messages (<c>RTM_NEWRULE</c>, <c>RTM_DELRULE</c>, <c>RTM_GETRULE</c>,
/// header <c>struct fib_rule_hdr</c>, attributes <c>FRA_*</c> of <c>linux/fib_rules.h</c>). Encoders allocate nothing,
/// choose header defaults as iproute2 does (table in the header up to 255, <c>FRA_TABLE</c> above; main when adding
/// without a table) and write attributes in the order of <c>ip rule add from P to P fwmark M/K iif I oif O lookup T
/// suppress_prefixlength N priority N protocol P</c>.
/// </summary>
public static class RuleMessages
{
    /// <summary>Size of <c>struct fib_rule_hdr</c>.</summary>
    public const int FamilyHeaderSize = 12;

    /// <summary><c>RTM_NEWRULE</c>: add a rule.</summary>
    public const ushort RTM_NEWRULE = 32;
    /// <summary><c>RTM_DELRULE</c>: delete a rule.</summary>
    public const ushort RTM_DELRULE = 33;
    /// <summary><c>RTM_GETRULE</c>: dump rules.</summary>
    public const ushort RTM_GETRULE = 34;

    /// <summary><c>FRA_DST</c>: destination prefix address.</summary>
    public const ushort FRA_DST = 1;
    /// <summary><c>FRA_SRC</c>: source prefix address.</summary>
    public const ushort FRA_SRC = 2;
    /// <summary><c>FRA_IIFNAME</c>: input interface name.</summary>
    public const ushort FRA_IIFNAME = 3;
    /// <summary><c>FRA_GOTO</c>: priority of the rule a goto jumps to (u32).</summary>
    public const ushort FRA_GOTO = 4;
    /// <summary><c>FRA_PRIORITY</c>: priority (u32).</summary>
    public const ushort FRA_PRIORITY = 6;
    /// <summary><c>FRA_FWMARK</c>: firewall mark (u32).</summary>
    public const ushort FRA_FWMARK = 10;
    /// <summary><c>FRA_SUPPRESS_PREFIXLEN</c>: suppress routes with this prefix length or shorter (u32; -1 when unset).</summary>
    public const ushort FRA_SUPPRESS_PREFIXLEN = 14;
    /// <summary><c>FRA_TABLE</c>: table id (u32).</summary>
    public const ushort FRA_TABLE = 15;
    /// <summary><c>FRA_FWMASK</c>: firewall mark mask (u32).</summary>
    public const ushort FRA_FWMASK = 16;
    /// <summary><c>FRA_OIFNAME</c>: output interface name.</summary>
    public const ushort FRA_OIFNAME = 17;
    /// <summary><c>FRA_PROTOCOL</c>: who installed the rule (u8).</summary>
    public const ushort FRA_PROTOCOL = 21;

    /// <summary><c>FIB_RULE_INVERT</c>: the rule's selectors are inverted (<c>not</c>).</summary>
    public const uint FIB_RULE_INVERT = 2;

    /// <summary>Writes the request that adds <paramref name="rule"/>. Equivalent to: <c>ip [-6] rule add [not] [from P] [to P] [fwmark M[/K]] [iif I] [oif O] [lookup T | blackhole | unreachable | prohibit] [suppress_prefixlength N] [priority N]</c>.</summary>
    /// <exception cref="ArgumentException">The rule is inconsistent (see <see cref="Validate"/>).</exception>
    public static void WriteAdd(ref NetlinkWriter writer, RoutingRule rule)
    {
        Validate(rule);
        WriteCore(ref writer, RTM_NEWRULE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack | NetlinkMessageFlags.Exclusive | NetlinkMessageFlags.Create, rule, adding: true);
    }

    /// <summary>
    /// Writes the request that deletes the first rule matching <paramref name="rule"/>: the kernel compares only what is
    /// set (e.g. the priority alone). Equivalent to: <c>ip [-6] rule del [selectors] [priority N]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The rule is inconsistent (see <see cref="Validate"/>).</exception>
    public static void WriteDelete(ref NetlinkWriter writer, RoutingRule rule)
    {
        Validate(rule);
        WriteCore(ref writer, RTM_DELRULE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, rule, adding: false);
    }

    /// <summary>Writes the dump request for the rules of one family (or both). Equivalent to: <c>ip [-4|-6] rule show</c>.</summary>
    /// <exception cref="ArgumentException">The family is not Unspecified, InterNetwork or InterNetworkV6.</exception>
    public static void WriteDump(ref NetlinkWriter writer, AddressFamily family = AddressFamily.InterNetwork)
    {
        NetlinkMessageToken message = writer.BeginMessage(RTM_GETRULE, NetlinkMessageFlags.Request | NetlinkMessageFlags.Dump);
        writer.WriteHeader(new FibRuleHdr { family = AddressMessages.ToKernelFamily(family) });
        writer.EndMessage(message);
    }

    /// <summary>
    /// Checks a rule before anything is sent: prefixes of the rule's family (IPv4 or IPv6), interface names that are
    /// valid, a mask only with a mark, a known action, a table only with <see cref="RoutingRuleAction.ToTable"/>, a
    /// suppressed prefix length within the family's bits.
    /// </summary>
    /// <exception cref="ArgumentException">A rule is broken; the message names it.</exception>
    public static void Validate(RoutingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        AddressFamily family = rule.EffectiveFamily;
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"A routing rule is IPv4 or IPv6, not {family}.", nameof(rule));
        }

        if (rule.Source is IPNetwork s && s.BaseAddress.AddressFamily != family)
        {
            throw new ArgumentException($"The source {s} is not of the rule's family {family}.", nameof(rule));
        }

        if (rule.Destination is IPNetwork d && d.BaseAddress.AddressFamily != family)
        {
            throw new ArgumentException($"The destination {d} is not of the rule's family {family}.", nameof(rule));
        }

        if (rule.InputInterface is not null)
        {
            InterfaceName.Validate(rule.InputInterface, nameof(rule));
        }

        if (rule.OutputInterface is not null)
        {
            InterfaceName.Validate(rule.OutputInterface, nameof(rule));
        }

        if (rule.FirewallMask is not null && rule.FirewallMark is null)
        {
            throw new ArgumentException("A firewall mask needs a firewall mark (fwmark MARK/MASK).", nameof(rule));
        }

        if (rule.Action is RoutingRuleAction a && !Enum.IsDefined(a))
        {
            throw new ArgumentException($"{(byte)a} is not a rule action.", nameof(rule));
        }

        if (rule.Action is RoutingRuleAction.Goto)
        {
            throw new ArgumentException("Goto rules are not supported by this library (they need a target priority).", nameof(rule));
        }

        if (rule.Table is not null && rule.Action is not (null or RoutingRuleAction.ToTable or RoutingRuleAction.Unspecified))
        {
            throw new ArgumentException($"A {rule.Action} rule looks up no table; leave Table null.", nameof(rule));
        }

        if (rule.Table == 0)
        {
            throw new ArgumentException("Table 0 (RT_TABLE_UNSPEC) is not a table; leave Table null for the default.", nameof(rule));
        }

        int bits = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (rule.SuppressPrefixLength is int spl && (spl < 0 || spl > bits))
        {
            throw new ArgumentException($"suppress_prefixlength {spl} is outside 0..{bits}.", nameof(rule));
        }
    }

    /// <summary>Decodes a rule from a dump reply or an <c>RTM_NEWRULE</c>/<c>RTM_DELRULE</c> notification.</summary>
    /// <returns>False when the rule is of another family than IPv4 or IPv6 (e.g. the bridge family's).</returns>
    /// <exception cref="NetlinkDecodeException">The message is not a rule message, or is malformed.</exception>
    public static bool TryParse(NetlinkMessage message, [NotNullWhen(true)] out RoutingRule? rule)
    {
        rule = null;
        if (message.Type is not (RTM_NEWRULE or RTM_DELRULE))
        {
            throw new NetlinkDecodeException($"Expected RTM_NEWRULE or RTM_DELRULE, got message type {message.Type}.");
        }

        FibRuleHdr header = message.ReadHeader<FibRuleHdr>();
        if (header.family is not (AddressFamilies.AF_INET or AddressFamilies.AF_INET6))
        {
            return false;
        }

        bool v6 = header.family == AddressFamilies.AF_INET6;
        int bits = v6 ? 128 : 32;
        if (header.src_len > bits || header.dst_len > bits)
        {
            throw new NetlinkDecodeException($"Rule message: a prefix length ({header.src_len}, {header.dst_len}) is longer than the family's {bits} bits.");
        }

        IPAddress? source = null, destination = null;
        uint? priority = null, mark = null, mask = null;
        string? iif = null, oif = null;
        uint table = header.table;
        int? suppress = null;
        RouteProtocol? protocol = null;
        foreach (NetlinkAttribute a in message.GetAttributes(FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case FRA_SRC: source = Address(a, v6); break;
                case FRA_DST: destination = Address(a, v6); break;
                case FRA_PRIORITY: priority = a.GetUInt32(); break;
                case FRA_FWMARK: mark = a.GetUInt32(); break;
                case FRA_FWMASK: mask = a.GetUInt32(); break;
                case FRA_IIFNAME: iif = a.GetString(); break;
                case FRA_OIFNAME: oif = a.GetString(); break;
                case FRA_TABLE: table = a.GetUInt32(); break;
                case FRA_SUPPRESS_PREFIXLEN:
                    int value = a.GetInt32();
                    suppress = value < 0 ? null : value;
                    break;
                case FRA_PROTOCOL: protocol = (RouteProtocol)a.GetUInt8(); break;
            }
        }

        var action = (RoutingRuleAction)header.action;
        rule = new RoutingRule
        {
            Family = v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork,
            // The kernel leaves FRA_PRIORITY out of a rule of priority 0 (the local table's, or one added with "priority 0").
            Priority = priority ?? 0,
            Source = header.src_len > 0 || source is not null ? AddressMessages.ToNetwork(source ?? Any(v6), header.src_len) : null,
            Destination = header.dst_len > 0 || destination is not null ? AddressMessages.ToNetwork(destination ?? Any(v6), header.dst_len) : null,
            FirewallMark = mark,
            FirewallMask = mask,
            InputInterface = iif,
            OutputInterface = oif,
            Table = action == RoutingRuleAction.ToTable ? table : (table == 0 ? null : table),
            Action = action,
            SuppressPrefixLength = suppress,
            Invert = (header.flags & FIB_RULE_INVERT) != 0,
            Protocol = protocol,
        };
        return true;
    }

    private static void WriteCore(ref NetlinkWriter writer, ushort type, NetlinkMessageFlags flags, RoutingRule rule, bool adding)
    {
        AddressFamily family = rule.EffectiveFamily;
        RoutingRuleAction action = rule.Action ?? (adding ? RoutingRuleAction.ToTable : RoutingRuleAction.Unspecified);
        uint table = rule.Table ?? (adding && action == RoutingRuleAction.ToTable ? RouteMessages.RT_TABLE_MAIN : 0u);
        NetlinkMessageToken message = writer.BeginMessage(type, flags);
        writer.WriteHeader(new FibRuleHdr
        {
            family = family == AddressFamily.InterNetworkV6 ? AddressFamilies.AF_INET6 : AddressFamilies.AF_INET,
            dst_len = (byte)(rule.Destination?.PrefixLength ?? 0),
            src_len = (byte)(rule.Source?.PrefixLength ?? 0),
            table = table <= 255 ? (byte)table : RouteMessages.RT_TABLE_UNSPEC,
            action = (byte)action,
            flags = rule.Invert ? FIB_RULE_INVERT : 0,
        });
        if (rule.Source is IPNetwork source)
        {
            writer.WriteIPAddress(FRA_SRC, source.BaseAddress);
        }

        if (rule.Destination is IPNetwork destination)
        {
            writer.WriteIPAddress(FRA_DST, destination.BaseAddress);
        }

        if (rule.FirewallMark is uint mark)
        {
            writer.WriteUInt32(FRA_FWMARK, mark);
        }

        if (rule.FirewallMask is uint mask)
        {
            writer.WriteUInt32(FRA_FWMASK, mask);
        }

        if (rule.InputInterface is not null)
        {
            writer.WriteString(FRA_IIFNAME, rule.InputInterface);
        }

        if (rule.OutputInterface is not null)
        {
            writer.WriteString(FRA_OIFNAME, rule.OutputInterface);
        }

        if (table > 255)
        {
            writer.WriteUInt32(FRA_TABLE, table);
        }

        if (rule.SuppressPrefixLength is int suppress)
        {
            writer.WriteUInt32(FRA_SUPPRESS_PREFIXLEN, (uint)suppress);
        }

        if (rule.Priority is uint priority)
        {
            writer.WriteUInt32(FRA_PRIORITY, priority);
        }

        if (rule.Protocol is RouteProtocol protocol)
        {
            writer.WriteUInt8(FRA_PROTOCOL, (byte)protocol);
        }

        writer.EndMessage(message);
    }

    private static IPAddress Address(NetlinkAttribute a, bool v6)
    {
        if (a.Value.Length != (v6 ? 16 : 4))
        {
            ThrowHelper.ThrowDecode($"Rule message: a {a.Value.Length}-byte address in an {(v6 ? "IPv6" : "IPv4")} rule.");
        }

        return new IPAddress(a.Value);
    }

    private static IPAddress Any(bool v6) => v6 ? IPAddress.IPv6Any : IPAddress.Any;
}

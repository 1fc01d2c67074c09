using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// Builds the expressions of a rule from nft-like parts (<c>ip saddr 10.0.0.0/24 oifname "eth0" masquerade</c>),
/// emitting the same expressions <c>nft</c> 1.0 emits for the same text, dependencies included (<c>meta nfproto</c>
/// in inet tables, <c>meta l4proto</c> before ports), so the rule lists back in <c>nft list ruleset</c> as that text.
/// </summary>
/// <remarks>
/// Every method checks its arguments against the table's family before anything is sent
/// (<see cref="ArgumentException"/>): prefixes with host bits set, an IPv6 address in an <c>ip</c> table, ports
/// outside 1..65535. Methods return the builder, to chain calls; <see cref="ToRule"/> makes the rule.
/// </remarks>
public sealed class NftRuleBuilder
{
    private readonly List<NftExpression> _expressions = [];
    private NftFamily? _nfproto;
    private ProtocolType? _l4proto;

    /// <summary>Starts a rule for a table of family <paramref name="tableFamily"/> (inet, ip or ip6).</summary>
    public NftRuleBuilder(NftFamily tableFamily)
    {
        if (tableFamily is not (NftFamily.Inet or NftFamily.IPv4 or NftFamily.IPv6))
        {
            throw new ArgumentException($"The rule builder writes rules for inet, ip and ip6 tables, not {tableFamily}.", nameof(tableFamily));
        }

        TableFamily = tableFamily;
    }

    /// <summary>The family of the table the rule is for.</summary>
    public NftFamily TableFamily { get; }

    /// <summary>The expressions so far.</summary>
    public IReadOnlyList<NftExpression> Expressions => _expressions;

    /// <summary>Matches the source address against a prefix: <c>ip saddr 10.0.0.0/24</c> / <c>ip6 saddr fd00::/64</c>.</summary>
    /// <exception cref="ArgumentException">Bad prefix, or its family does not fit the table.</exception>
    public NftRuleBuilder SourceAddress(IPAddress network, int prefixLength) => Address(network, prefixLength, source: true);

    /// <summary>Matches the source address against a prefix written as <c>ADDRESS/LENGTH</c> (or one address).</summary>
    /// <exception cref="ArgumentException">Bad prefix, or its family does not fit the table.</exception>
    public NftRuleBuilder SourceAddress(string prefix)
    {
        (IPAddress network, int length) = NftPrefix.Parse(prefix, nameof(prefix));
        return Address(network, length, source: true);
    }

    /// <summary>Matches the destination address against a prefix: <c>ip daddr 10.0.0.0/24</c> / <c>ip6 daddr fd00::/64</c>.</summary>
    /// <exception cref="ArgumentException">Bad prefix, or its family does not fit the table.</exception>
    public NftRuleBuilder DestinationAddress(IPAddress network, int prefixLength) => Address(network, prefixLength, source: false);

    /// <summary>Matches the destination address against a prefix written as <c>ADDRESS/LENGTH</c> (or one address).</summary>
    /// <exception cref="ArgumentException">Bad prefix, or its family does not fit the table.</exception>
    public NftRuleBuilder DestinationAddress(string prefix)
    {
        (IPAddress network, int length) = NftPrefix.Parse(prefix, nameof(prefix));
        return Address(network, length, source: false);
    }

    /// <summary>Matches the input interface by name: <c>iifname "NAME"</c>.</summary>
    public NftRuleBuilder InputInterface(string name) => InterfaceMatch(NftMetaKey.InputInterfaceName, name);

    /// <summary>Matches the output interface by name: <c>oifname "NAME"</c>.</summary>
    public NftRuleBuilder OutputInterface(string name) => InterfaceMatch(NftMetaKey.OutputInterfaceName, name);

    /// <summary>Matches the transport protocol: <c>meta l4proto tcp</c>.</summary>
    public NftRuleBuilder TransportProtocol(ProtocolType protocol)
    {
        if (_l4proto == protocol)
        {
            return this;
        }

        if (_l4proto is not null)
        {
            throw new ArgumentException($"The rule already matches protocol {_l4proto}; a packet cannot also be {protocol}.", nameof(protocol));
        }

        CheckProtocol(protocol, nameof(protocol));
        _expressions.Add(new NftMeta(NftMetaKey.L4Proto));
        _expressions.Add(new NftCmp(NftCmpOp.Equal, NftData.FromByte((byte)protocol)));
        _l4proto = protocol;
        return this;
    }

    /// <summary>Matches the destination port: <c>tcp dport PORT</c> / <c>udp dport PORT</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1..65535.</exception>
    public NftRuleBuilder DestinationPort(ProtocolType protocol, int port) => Port(protocol, port, offset: 2, nameof(port));

    /// <summary>Matches the source port: <c>tcp sport PORT</c> / <c>udp sport PORT</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1..65535.</exception>
    public NftRuleBuilder SourcePort(ProtocolType protocol, int port) => Port(protocol, port, offset: 0, nameof(port));

    /// <summary>Matches connection-tracking states: <c>ct state established,related</c>.</summary>
    public NftRuleBuilder ConnectionState(NftCtState states)
    {
        if (states == NftCtState.None)
        {
            throw new ArgumentException("Name at least one connection-tracking state.", nameof(states));
        }

        _expressions.Add(new NftCt(NftCtKey.State));
        _expressions.Add(new NftBitwise(NftRegister.R1, NftRegister.R1, 4, NftData.FromUInt32((uint)states), NftData.FromUInt32(0)));
        _expressions.Add(new NftCmp(NftCmpOp.NotEqual, NftData.FromUInt32(0)));
        return this;
    }

    /// <summary>
    /// Matches the route type of the destination address: <c>fib daddr type local</c> for
    /// <see cref="Rtnetlink.RouteType.Local"/> (iptables' <c>-m addrtype --dst-type LOCAL</c>). Linux 4.10.
    /// </summary>
    public NftRuleBuilder DestinationAddressType(Rtnetlink.RouteType type)
    {
        _expressions.Add(new NftFib(NftFibResult.AddressType, NftFibFlags.DestinationAddress));
        _expressions.Add(new NftCmp(NftCmpOp.Equal, NftData.FromUInt32((uint)type)));
        return this;
    }

    /// <summary>Matches when the source address is (or, with <paramref name="invert"/>, is not) in a set: <c>ip saddr @SET</c>.</summary>
    public NftRuleBuilder SourceAddressInSet(string set, NftFamily addressFamily, bool invert = false) => AddressInSet(set, addressFamily, invert, source: true);

    /// <summary>Matches when the destination address is (or, with <paramref name="invert"/>, is not) in a set: <c>ip daddr @SET</c>.</summary>
    public NftRuleBuilder DestinationAddressInSet(string set, NftFamily addressFamily, bool invert = false) => AddressInSet(set, addressFamily, invert, source: false);

    /// <summary>Counts packets and bytes: <c>counter</c>.</summary>
    public NftRuleBuilder Counter()
    {
        _expressions.Add(new NftCounter());
        return this;
    }

    /// <summary>Ends with <c>accept</c>.</summary>
    public NftRuleBuilder Accept() => Verdict(NftVerdict.Accept);

    /// <summary>Ends with <c>drop</c>.</summary>
    public NftRuleBuilder Drop() => Verdict(NftVerdict.Drop);

    /// <summary>Ends with <c>return</c>.</summary>
    public NftRuleBuilder Return() => Verdict(NftVerdict.Return);

    /// <summary>Ends with <c>jump CHAIN</c>.</summary>
    public NftRuleBuilder Jump(string chain) => Verdict(NftVerdict.JumpTo(chain));

    /// <summary>Ends with <c>goto CHAIN</c>.</summary>
    public NftRuleBuilder Goto(string chain) => Verdict(NftVerdict.GotoChain(chain));

    /// <summary>Ends with <c>masquerade</c> (postrouting nat chains).</summary>
    public NftRuleBuilder Masquerade()
    {
        _expressions.Add(new NftMasquerade());
        return this;
    }

    /// <summary>Ends with <c>dnat to ADDRESS[:PORT]</c> (<c>dnat ip to</c> / <c>dnat ip6 to</c> in inet tables); prerouting and output nat chains.</summary>
    /// <exception cref="ArgumentException">The address does not fit the table, or the port is outside 1..65535.</exception>
    public NftRuleBuilder DestinationNat(IPAddress address, int? port = null) => Nat(NftNatType.Dnat, address, port);

    /// <summary>Ends with <c>snat to ADDRESS[:PORT]</c> (<c>snat ip to</c> / <c>snat ip6 to</c> in inet tables); postrouting and input nat chains.</summary>
    /// <exception cref="ArgumentException">The address does not fit the table, or the port is outside 1..65535.</exception>
    public NftRuleBuilder SourceNat(IPAddress address, int? port = null) => Nat(NftNatType.Snat, address, port);

    /// <summary>Ends with <c>redirect [to :PORT]</c>: to the local machine; prerouting and output nat chains.</summary>
    public NftRuleBuilder Redirect(int? port = null)
    {
        if (port is int p)
        {
            CheckPort(p, nameof(port));
            _expressions.Add(new NftImmediate(NftRegister.R1, NftData.FromUInt16BigEndian((ushort)p)));
            _expressions.Add(new NftRedirect(NftRegister.R1, null, Native.NfTablesExpressionAttributes.NF_NAT_RANGE_PROTO_SPECIFIED));
        }
        else
        {
            _expressions.Add(new NftRedirect());
        }

        return this;
    }

    /// <summary>Appends any expression as it is.</summary>
    public NftRuleBuilder Add(NftExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        expression.Validate();
        _expressions.Add(expression);
        return this;
    }

    /// <summary>Makes the rule for chain <paramref name="chain"/> of table <paramref name="table"/>.</summary>
    public NftRule ToRule(string table, string chain)
    {
        var rule = new NftRule(TableFamily, NftNames.ValidateTable(table, nameof(table)), NftNames.ValidateChain(chain, nameof(chain)), _expressions.ToArray());
        rule.Validate(nameof(chain));
        return rule;
    }

    private NftRuleBuilder Verdict(NftVerdict verdict)
    {
        _expressions.Add(new NftVerdictExpression(verdict));
        return this;
    }

    private NftRuleBuilder Address(IPAddress network, int prefixLength, bool source)
    {
        NftFamily family = NftPrefix.Validate(network, prefixLength, nameof(network));
        RequireNetworkFamily(family, nameof(network));
        int full = family == NftFamily.IPv4 ? 4 : 16;
        uint offset = family == NftFamily.IPv4 ? (source ? 12u : 16u) : (source ? 8u : 24u);
        byte[] bytes = network.GetAddressBytes();
        if (prefixLength == full * 8 || prefixLength % 8 != 0)
        {
            _expressions.Add(new NftPayload(NftPayloadBase.Network, offset, (uint)full));
            if (prefixLength != full * 8)
            {
                _expressions.Add(new NftBitwise(NftRegister.R1, NftRegister.R1, (uint)full, new NftData(NftPrefix.Mask(full, prefixLength)), new NftData(new byte[full])));
            }

            _expressions.Add(new NftCmp(NftCmpOp.Equal, new NftData(bytes)));
        }
        else
        {
            int length = prefixLength / 8;
            _expressions.Add(new NftPayload(NftPayloadBase.Network, offset, (uint)length));
            _expressions.Add(new NftCmp(NftCmpOp.Equal, new NftData(bytes.AsSpan(0, length))));
        }

        return this;
    }

    private NftRuleBuilder AddressInSet(string set, NftFamily addressFamily, bool invert, bool source)
    {
        NftNames.ValidateSet(set, nameof(set));
        if (addressFamily is not (NftFamily.IPv4 or NftFamily.IPv6))
        {
            throw new ArgumentException($"An address set holds IPv4 or IPv6 addresses, not {addressFamily}.", nameof(addressFamily));
        }

        RequireNetworkFamily(addressFamily, nameof(addressFamily));
        bool v4 = addressFamily == NftFamily.IPv4;
        uint offset = v4 ? (source ? 12u : 16u) : (source ? 8u : 24u);
        _expressions.Add(new NftPayload(NftPayloadBase.Network, offset, v4 ? 4u : 16u));
        _expressions.Add(new NftLookup(set, NftRegister.R1, null, invert));
        return this;
    }

    /// <summary>Checks that an address family fits the table and, in an inet table, emits <c>meta nfproto</c> once.</summary>
    private void RequireNetworkFamily(NftFamily family, string paramName)
    {
        if (TableFamily != NftFamily.Inet)
        {
            if (family != TableFamily)
            {
                throw new ArgumentException($"An {NftWire.FamilyName(family)} address cannot be matched in an {NftWire.FamilyName(TableFamily)} table: the address families differ.", paramName);
            }

            return;
        }

        if (_nfproto == family)
        {
            return;
        }

        if (_nfproto is not null)
        {
            throw new ArgumentException($"The rule already matches {NftWire.FamilyName(_nfproto.Value)} packets; it cannot also match {NftWire.FamilyName(family)} addresses (mixed address families).", paramName);
        }

        _expressions.Add(new NftMeta(NftMetaKey.NfProto));
        _expressions.Add(new NftCmp(NftCmpOp.Equal, NftData.FromByte((byte)family)));
        _nfproto = family;
    }

    private NftRuleBuilder InterfaceMatch(NftMetaKey key, string name)
    {
        NftData data = NftData.FromInterfaceName(name);
        _expressions.Add(new NftMeta(key));
        _expressions.Add(new NftCmp(NftCmpOp.Equal, data));
        return this;
    }

    private NftRuleBuilder Port(ProtocolType protocol, int port, uint offset, string paramName)
    {
        CheckProtocol(protocol, nameof(protocol));
        CheckPort(port, paramName);
        TransportProtocol(protocol);
        _expressions.Add(new NftPayload(NftPayloadBase.Transport, offset, 2));
        _expressions.Add(new NftCmp(NftCmpOp.Equal, NftData.FromUInt16BigEndian((ushort)port)));
        return this;
    }

    private NftRuleBuilder Nat(NftNatType type, IPAddress address, int? port)
    {
        ArgumentNullException.ThrowIfNull(address);
        NftFamily family = NftPrefix.FamilyOf(address, nameof(address));
        if (TableFamily != NftFamily.Inet && family != TableFamily)
        {
            throw new ArgumentException($"An {NftWire.FamilyName(family)} address cannot be a NAT target in an {NftWire.FamilyName(TableFamily)} table: the address families differ.", nameof(address));
        }

        if (_nfproto is NftFamily matched && matched != family)
        {
            throw new ArgumentException($"The rule matches {NftWire.FamilyName(matched)} packets; they cannot be translated to the {NftWire.FamilyName(family)} address {address} (mixed address families).", nameof(address));
        }

        if (port is int p)
        {
            CheckPort(p, nameof(port));
        }

        _expressions.Add(new NftImmediate(NftRegister.R1, NftData.FromIPAddress(address)));
        if (port is int p2)
        {
            _expressions.Add(new NftImmediate(NftRegister.R2, NftData.FromUInt16BigEndian((ushort)p2)));
            _expressions.Add(new NftNat(type, family, NftRegister.R1, null, NftRegister.R2, null, Native.NfTablesExpressionAttributes.NF_NAT_RANGE_PROTO_SPECIFIED));
        }
        else
        {
            _expressions.Add(new NftNat(type, family, NftRegister.R1));
        }

        return this;
    }

    internal static void CheckPort(int port, string paramName)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(paramName, port, "A port is 1 to 65535.");
        }
    }

    internal static void CheckProtocol(ProtocolType protocol, string paramName)
    {
        if (protocol is not (ProtocolType.Tcp or ProtocolType.Udp or ProtocolType.IcmpV6 or ProtocolType.Icmp) && (int)protocol is not (132 or 136))
        {
            throw new ArgumentException($"Protocol {protocol} is not a transport protocol nf_tables matches here (tcp, udp, sctp, udplite, icmp, icmpv6).", paramName);
        }
    }
}

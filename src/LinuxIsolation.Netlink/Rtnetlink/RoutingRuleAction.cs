namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>What a routing rule does with the packets it selects (<c>FR_ACT_*</c> in <c>linux/fib_rules.h</c>), as <c>ip rule</c> names it.</summary>
public enum RoutingRuleAction : byte
{
    /// <summary><c>FR_ACT_UNSPEC</c>: in a delete, any action.</summary>
    Unspecified = 0,
    /// <summary><c>FR_ACT_TO_TBL</c>: look the route up in the rule's table (<c>lookup TABLE</c>).</summary>
    ToTable = 1,
    /// <summary><c>FR_ACT_GOTO</c>: jump to another rule (<c>goto PRIORITY</c>).</summary>
    Goto = 2,
    /// <summary><c>FR_ACT_NOP</c>: do nothing (<c>nop</c>).</summary>
    Nop = 3,
    /// <summary><c>FR_ACT_BLACKHOLE</c>: drop silently (<c>blackhole</c>).</summary>
    Blackhole = 6,
    /// <summary><c>FR_ACT_UNREACHABLE</c>: drop, sending "network unreachable" (<c>unreachable</c>; ENETUNREACH locally).</summary>
    Unreachable = 7,
    /// <summary><c>FR_ACT_PROHIBIT</c>: drop, sending "administratively prohibited" (<c>prohibit</c>; EACCES locally).</summary>
    Prohibit = 8,
}

using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Rtnetlink.Native;

/// <summary>Routing rule message family header, <c>struct fib_rule_hdr</c> from <c>linux/fib_rules.h</c>.</summary>
/// <remarks>
/// <code>
/// struct fib_rule_hdr {
///     __u8  family;
///     __u8  dst_len;
///     __u8  src_len;
///     __u8  tos;
///     __u8  table;   /* table id (RT_TABLE_*; larger ids in FRA_TABLE) */
///     __u8  res1;    /* reserved */
///     __u8  res2;    /* reserved */
///     __u8  action;  /* FR_ACT_* */
///     __u32 flags;   /* FIB_RULE_* */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct FibRuleHdr
{
    /// <summary>Address family (<c>AF_INET</c>, <c>AF_INET6</c>).</summary>
    public byte family;
    /// <summary>Destination prefix length.</summary>
    public byte dst_len;
    /// <summary>Source prefix length.</summary>
    public byte src_len;
    /// <summary>Type of service to match.</summary>
    public byte tos;
    /// <summary>Table id, 0 when it travels in <c>FRA_TABLE</c>.</summary>
    public byte table;
    /// <summary>Reserved.</summary>
    public byte res1;
    /// <summary>Reserved.</summary>
    public byte res2;
    /// <summary>What the rule does (<c>FR_ACT_*</c>).</summary>
    public byte action;
    /// <summary>Flags (<c>FIB_RULE_*</c>: 2 is <c>FIB_RULE_INVERT</c>).</summary>
    public uint flags;
}

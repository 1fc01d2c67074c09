using System.Runtime.InteropServices;

namespace LinuxIsolation.Netlink.Native;

/// <summary>The netlink message header, <c>struct nlmsghdr</c> from <c>linux/netlink.h</c>.</summary>
/// <remarks>
/// <code>
/// struct nlmsghdr {
///     __u32 nlmsg_len;   /* Length of message including header */
///     __u16 nlmsg_type;  /* Message content */
///     __u16 nlmsg_flags; /* Additional flags */
///     __u32 nlmsg_seq;   /* Sequence number */
///     __u32 nlmsg_pid;   /* Sending process port ID */
/// };
/// </code>
/// Fields are in host byte order.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct NlMsgHdr
{
    /// <summary>Length of the message, header included, in bytes.</summary>
    public uint nlmsg_len;
    /// <summary>Message type: a protocol-specific value or one of <see cref="NetlinkMessageType"/>.</summary>
    public ushort nlmsg_type;
    /// <summary>Flags, see <see cref="NetlinkMessageFlags"/>.</summary>
    public ushort nlmsg_flags;
    /// <summary>Sequence number, echoed by the kernel in its replies.</summary>
    public uint nlmsg_seq;
    /// <summary>Sender's port id: 0 for messages from the kernel.</summary>
    public uint nlmsg_pid;
}

/// <summary>The payload of an <c>NLMSG_ERROR</c> message, <c>struct nlmsgerr</c>.</summary>
/// <remarks>
/// <code>
/// struct nlmsgerr {
///     int error;            /* negative errno, or 0 for an acknowledgement */
///     struct nlmsghdr msg;  /* header of the request; its payload follows unless NETLINK_CAP_ACK */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct NlMsgErr
{
    /// <summary>Negative errno, or 0 for an acknowledgement.</summary>
    public int error;
    /// <summary>Header of the request this answers.</summary>
    public NlMsgHdr msg;
}

/// <summary>Netlink attribute header, <c>struct nlattr</c>.</summary>
/// <remarks>
/// <code>
/// struct nlattr {
///     __u16 nla_len;   /* header plus payload, without trailing padding */
///     __u16 nla_type;  /* type, with NLA_F_NESTED and NLA_F_NET_BYTEORDER in the top bits */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct NlAttr
{
    /// <summary>Header plus payload length, without trailing padding.</summary>
    public ushort nla_len;
    /// <summary>Attribute type with the flag bits.</summary>
    public ushort nla_type;
}

/// <summary>The netfilter family header, <c>struct nfgenmsg</c> from <c>linux/netfilter/nfnetlink.h</c>.</summary>
/// <remarks>
/// <code>
/// struct nfgenmsg {
///     __u8  nfgen_family; /* AF_xxx */
///     __u8  version;      /* nfnetlink version, NFNETLINK_V0 */
///     __be16 res_id;      /* resource id (big-endian) */
/// };
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct NfGenMsg
{
    /// <summary>Address family (<c>NFPROTO_*</c>).</summary>
    public byte nfgen_family;
    /// <summary>nfnetlink version, 0.</summary>
    public byte version;
    /// <summary>Resource id, big-endian on the wire (the batch messages carry the subsystem id here).</summary>
    public ushort res_id;
}

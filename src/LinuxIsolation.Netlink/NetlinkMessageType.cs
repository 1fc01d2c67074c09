namespace LinuxIsolation.Netlink;

/// <summary>Control message types shared by every netlink protocol (<c>NLMSG_*</c> in <c>linux/netlink.h</c>).</summary>
public static class NetlinkMessageType
{
    /// <summary><c>NLMSG_NOOP</c>: nothing; to be ignored.</summary>
    public const ushort Noop = 0x1;
    /// <summary><c>NLMSG_ERROR</c>: an error or, with error 0, an acknowledgement.</summary>
    public const ushort Error = 0x2;
    /// <summary><c>NLMSG_DONE</c>: the end of a multi-part message (a dump).</summary>
    public const ushort Done = 0x3;
    /// <summary><c>NLMSG_OVERRUN</c>: data was lost.</summary>
    public const ushort Overrun = 0x4;
    /// <summary><c>NLMSG_MIN_TYPE</c>: the first protocol-specific type.</summary>
    public const ushort MinType = 0x10;
}

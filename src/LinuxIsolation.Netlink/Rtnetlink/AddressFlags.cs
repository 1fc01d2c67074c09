using System;

namespace LinuxIsolation.Netlink.Rtnetlink;

/// <summary>Address flags (<c>IFA_F_*</c> in <c>linux/if_addr.h</c>), as <c>ip addr</c> prints and takes them.</summary>
[Flags]
public enum AddressFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary><c>IFA_F_SECONDARY</c> (IPv4) or <c>IFA_F_TEMPORARY</c> (IPv6).</summary>
    Secondary = 0x01,
    /// <summary><c>IFA_F_NODAD</c>: skip duplicate address detection (IPv6, <c>nodad</c>).</summary>
    NoDad = 0x02,
    /// <summary><c>IFA_F_OPTIMISTIC</c>: optimistic DAD (IPv6).</summary>
    Optimistic = 0x04,
    /// <summary><c>IFA_F_DADFAILED</c>: DAD found a duplicate.</summary>
    DadFailed = 0x08,
    /// <summary><c>IFA_F_HOMEADDRESS</c>: mobile IPv6 home address.</summary>
    HomeAddress = 0x10,
    /// <summary><c>IFA_F_DEPRECATED</c>: preferred lifetime expired.</summary>
    Deprecated = 0x20,
    /// <summary><c>IFA_F_TENTATIVE</c>: DAD still running.</summary>
    Tentative = 0x40,
    /// <summary><c>IFA_F_PERMANENT</c>: no lifetime (set by the kernel on static addresses).</summary>
    Permanent = 0x80,
    /// <summary><c>IFA_F_MANAGETEMPADDR</c>: manage temporary addresses from this prefix (<c>mngtmpaddr</c>).</summary>
    ManageTemporaryAddress = 0x100,
    /// <summary><c>IFA_F_NOPREFIXROUTE</c>: add no prefix route (<c>noprefixroute</c>).</summary>
    NoPrefixRoute = 0x200,
    /// <summary><c>IFA_F_MCAUTOJOIN</c>: join the multicast group (<c>autojoin</c>).</summary>
    MulticastAutoJoin = 0x400,
    /// <summary><c>IFA_F_STABLE_PRIVACY</c>: stable-privacy address (RFC 7217).</summary>
    StablePrivacy = 0x800,
}

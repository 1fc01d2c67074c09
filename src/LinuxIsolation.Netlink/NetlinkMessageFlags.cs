using System;

namespace LinuxIsolation.Netlink;

/// <summary>The <c>nlmsg_flags</c> bits (<c>NLM_F_*</c> in <c>linux/netlink.h</c>).</summary>
/// <remarks>
/// Some values mean different things for GET, NEW and DELETE requests, which is why several names share
/// a value, as they do in the kernel's header.
/// </remarks>
[Flags]
public enum NetlinkMessageFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary><c>NLM_F_REQUEST</c>: a request; set on every message sent to the kernel.</summary>
    Request = 0x01,
    /// <summary><c>NLM_F_MULTI</c>: part of a multi-part message ended by <c>NLMSG_DONE</c>.</summary>
    Multi = 0x02,
    /// <summary><c>NLM_F_ACK</c>: ask for an acknowledgement.</summary>
    Ack = 0x04,
    /// <summary><c>NLM_F_ECHO</c>: echo this request back (used to learn handles the kernel assigned).</summary>
    Echo = 0x08,
    /// <summary><c>NLM_F_DUMP_INTR</c>: the dump was interrupted by a change; its data may be inconsistent.</summary>
    DumpInterrupted = 0x10,
    /// <summary><c>NLM_F_DUMP_FILTERED</c>: the dump was filtered as requested.</summary>
    DumpFiltered = 0x20,

    /// <summary><c>NLM_F_ROOT</c> (GET): return the whole table.</summary>
    Root = 0x100,
    /// <summary><c>NLM_F_MATCH</c> (GET): return all matching entries.</summary>
    Match = 0x200,
    /// <summary><c>NLM_F_ATOMIC</c> (GET): an atomic snapshot (not supported by most families).</summary>
    Atomic = 0x400,
    /// <summary><c>NLM_F_DUMP</c>: <c>NLM_F_ROOT | NLM_F_MATCH</c>.</summary>
    Dump = Root | Match,

    /// <summary><c>NLM_F_REPLACE</c> (NEW): replace an existing object.</summary>
    Replace = 0x100,
    /// <summary><c>NLM_F_EXCL</c> (NEW): fail with EEXIST if the object exists.</summary>
    Exclusive = 0x200,
    /// <summary><c>NLM_F_CREATE</c> (NEW): create the object if it does not exist.</summary>
    Create = 0x400,
    /// <summary><c>NLM_F_APPEND</c> (NEW): add to the end of the list.</summary>
    Append = 0x800,

    /// <summary><c>NLM_F_NONREC</c> (DELETE): do not delete recursively.</summary>
    NonRecursive = 0x100,
    /// <summary><c>NLM_F_BULK</c> (DELETE): delete several objects.</summary>
    Bulk = 0x200,

    /// <summary><c>NLM_F_CAPPED</c> (ACK): the request payload was not echoed in the error message.</summary>
    Capped = 0x100,
    /// <summary><c>NLM_F_ACK_TLVS</c> (ACK): extended-ACK attributes follow.</summary>
    AckTlvs = 0x200,
}

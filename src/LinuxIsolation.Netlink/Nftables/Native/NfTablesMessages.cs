namespace LinuxIsolation.Netlink.Nftables.Native;

/// <summary>
/// nfnetlink message types of the nf_tables subsystem and the batch markers, from <c>linux/netfilter/nfnetlink.h</c>
/// and <c>enum nf_tables_msg_types</c> in <c>linux/netfilter/nf_tables.h</c>. The full <c>nlmsg_type</c> is
/// <c>NFNL_SUBSYS_NFTABLES &lt;&lt; 8 | NFT_MSG_*</c>; the <c>*_TYPE</c> constants hold that value.
/// </summary>
internal static class NfTablesMessages
{
    /// <summary><c>NFNL_SUBSYS_NFTABLES</c>.</summary>
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    /// <summary><c>NFNETLINK_V0</c>.</summary>
    public const byte NFNETLINK_V0 = 0;
    /// <summary><c>NFNL_MSG_BATCH_BEGIN</c> (<c>NLMSG_MIN_TYPE</c>).</summary>
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    /// <summary><c>NFNL_MSG_BATCH_END</c> (<c>NLMSG_MIN_TYPE + 1</c>).</summary>
    public const ushort NFNL_MSG_BATCH_END = 0x11;
    /// <summary><c>NFNL_BATCH_GENID</c>: generation id the batch is meant for (NLA_U32, big-endian); the kernel refuses the batch with ERESTART if it moved on.</summary>
    public const ushort NFNL_BATCH_GENID = 1;

    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_GETTABLE = 1;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_GETCHAIN = 4;
    public const ushort NFT_MSG_DELCHAIN = 5;
    public const ushort NFT_MSG_NEWRULE = 6;
    public const ushort NFT_MSG_GETRULE = 7;
    public const ushort NFT_MSG_DELRULE = 8;
    public const ushort NFT_MSG_NEWSET = 9;
    public const ushort NFT_MSG_GETSET = 10;
    public const ushort NFT_MSG_DELSET = 11;
    public const ushort NFT_MSG_NEWSETELEM = 12;
    public const ushort NFT_MSG_GETSETELEM = 13;
    public const ushort NFT_MSG_DELSETELEM = 14;
    public const ushort NFT_MSG_NEWGEN = 15;
    public const ushort NFT_MSG_GETGEN = 16;

    /// <summary>The full <c>nlmsg_type</c> of an nf_tables message.</summary>
    public static ushort Type(ushort nftMessage) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | nftMessage);

    /// <summary>The kernel's name of an nf_tables message type, for error messages.</summary>
    public static string Name(ushort nftMessage) => nftMessage switch
    {
        NFT_MSG_NEWTABLE => "NFT_MSG_NEWTABLE",
        NFT_MSG_GETTABLE => "NFT_MSG_GETTABLE",
        NFT_MSG_DELTABLE => "NFT_MSG_DELTABLE",
        NFT_MSG_NEWCHAIN => "NFT_MSG_NEWCHAIN",
        NFT_MSG_GETCHAIN => "NFT_MSG_GETCHAIN",
        NFT_MSG_DELCHAIN => "NFT_MSG_DELCHAIN",
        NFT_MSG_NEWRULE => "NFT_MSG_NEWRULE",
        NFT_MSG_GETRULE => "NFT_MSG_GETRULE",
        NFT_MSG_DELRULE => "NFT_MSG_DELRULE",
        NFT_MSG_NEWSET => "NFT_MSG_NEWSET",
        NFT_MSG_GETSET => "NFT_MSG_GETSET",
        NFT_MSG_DELSET => "NFT_MSG_DELSET",
        NFT_MSG_NEWSETELEM => "NFT_MSG_NEWSETELEM",
        NFT_MSG_GETSETELEM => "NFT_MSG_GETSETELEM",
        NFT_MSG_DELSETELEM => "NFT_MSG_DELSETELEM",
        NFT_MSG_NEWGEN => "NFT_MSG_NEWGEN",
        NFT_MSG_GETGEN => "NFT_MSG_GETGEN",
        _ => $"NFT_MSG_{nftMessage}",
    };
}

using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>An nf_tables table (<c>nft add table FAMILY NAME</c>). Attributes the kernel did not send are null.</summary>
/// <param name="Family">The table's family.</param>
/// <param name="Name">The table's name.</param>
/// <param name="Flags"><c>NFT_TABLE_F_*</c> flags (1 dormant, 2 owner); 0 for none.</param>
/// <param name="Handle">The kernel's handle, when listed.</param>
/// <param name="Use">Number of chains, sets and objects in it, when listed.</param>
public sealed record NftTable(NftFamily Family, string Name, uint Flags = 0, ulong? Handle = null, uint? Use = null)
{
    /// <summary>
    /// The table's user data (<c>NFTA_TABLE_USERDATA</c>, Linux 5.13+; at most 256 bytes): nft keeps a table's
    /// comment there in its type-length-value format (see <see cref="Comment"/>). Null when the kernel sent none.
    /// Sent only when the table is created: the kernel ignores it when the table already exists.
    /// </summary>
    public byte[]? UserData { get; init; }

    /// <summary>
    /// The table's comment as nft stores it in <see cref="UserData"/> (record type 0, NUL-terminated;
    /// <c>nft add table FAMILY NAME { comment "TEXT"; }</c>, shown by <c>nft list table FAMILY NAME</c>); null
    /// when there is no such record.
    /// </summary>
    public string? Comment => NftTableComment.Decode(UserData);

    /// <summary>The table as nft names it: <c>inet lxi</c>.</summary>
    public override string ToString() => $"{NftWire.FamilyName(Family)} {Name}";

    internal static NftTable Parse(NetlinkMessage message)
    {
        var header = message.ReadHeader<Netlink.Native.NfGenMsg>();
        string name = string.Empty;
        uint flags = 0;
        ulong? handle = null;
        uint? use = null;
        byte[]? userData = null;
        foreach (NetlinkAttribute a in message.GetAttributes(NftWire.FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case NFTA_TABLE_NAME: name = a.GetString(); break;
                case NFTA_TABLE_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_TABLE_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case NFTA_TABLE_USE: use = a.GetUInt32BigEndian(); break;
                case NFTA_TABLE_USERDATA: userData = a.Value.ToArray(); break;
            }
        }

        return new NftTable((NftFamily)header.nfgen_family, name, flags, handle, use) { UserData = userData };
    }
}

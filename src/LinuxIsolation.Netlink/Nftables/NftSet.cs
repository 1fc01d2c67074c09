using System;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>
/// A named set or map (<c>nft add set inet t allowed { type ipv4_addr; }</c>, <c>nft add map inet t ports { type inet_service : ipv4_addr; }</c>).
/// </summary>
/// <param name="Family">The table's family.</param>
/// <param name="Table">The table's name.</param>
/// <param name="Name">The set's name.</param>
/// <param name="KeyType">nft's key data type (see <see cref="NftDataType"/>).</param>
/// <param name="KeyLength">Key length in bytes (4 for IPv4 addresses, 2 for ports, ...).</param>
/// <param name="Flags">Set flags; <see cref="NftSetFlags.Map"/> for a map.</param>
/// <param name="DataType">Maps: nft's data type of the values (see <see cref="NftDataType"/>); null for sets.</param>
/// <param name="DataLength">Maps: value length in bytes (16 for verdicts); null for sets.</param>
/// <param name="Handle">The kernel's handle, when listed.</param>
public sealed record NftSet(NftFamily Family, string Table, string Name, uint KeyType, uint KeyLength, NftSetFlags Flags = NftSetFlags.None,
    uint? DataType = null, uint? DataLength = null, ulong? Handle = null)
{
    /// <summary>nft's TLV user data (key byte order and the like, used by nft to print); null for none.</summary>
    public byte[]? UserData { get; init; }

    /// <summary>The set as nft names it: <c>inet lxi allowed</c>.</summary>
    public override string ToString() => $"{NftWire.FamilyName(Family)} {Table} {Name}";

    internal void Validate(string paramName)
    {
        NftWire.ValidateFamily(Family, paramName);
        NftNames.ValidateTable(Table, paramName);
        NftNames.ValidateSet(Name, paramName);
        if (KeyLength is 0 or > NftData.MaxLength)
        {
            throw new ArgumentException($"Set {this}: the key length is 1 to {NftData.MaxLength} bytes, not {KeyLength}.", paramName);
        }

        bool isMap = (Flags & NftSetFlags.Map) != 0;
        if (isMap != (DataType is not null) || isMap != (DataLength is not null))
        {
            throw new ArgumentException($"Set {this}: a map (flag Map) needs DataType and DataLength; a set has neither.", paramName);
        }
    }

    internal static NftSet Parse(NetlinkMessage message)
    {
        var header = message.ReadHeader<Netlink.Native.NfGenMsg>();
        string table = string.Empty, name = string.Empty;
        uint flags = 0, keyType = 0, keyLength = 0;
        uint? dataType = null, dataLength = null;
        ulong? handle = null;
        byte[]? userData = null;
        foreach (NetlinkAttribute a in message.GetAttributes(NftWire.FamilyHeaderSize))
        {
            switch (a.Type)
            {
                case NFTA_SET_TABLE: table = a.GetString(); break;
                case NFTA_SET_NAME: name = a.GetString(); break;
                case NFTA_SET_FLAGS: flags = a.GetUInt32BigEndian(); break;
                case NFTA_SET_KEY_TYPE: keyType = a.GetUInt32BigEndian(); break;
                case NFTA_SET_KEY_LEN: keyLength = a.GetUInt32BigEndian(); break;
                case NFTA_SET_DATA_TYPE: dataType = a.GetUInt32BigEndian(); break;
                case NFTA_SET_DATA_LEN: dataLength = a.GetUInt32BigEndian(); break;
                case NFTA_SET_HANDLE: handle = a.GetUInt64BigEndian(); break;
                case 13: userData = a.Value.ToArray(); break; // NFTA_SET_USERDATA
            }
        }

        return new NftSet((NftFamily)header.nfgen_family, table, name, keyType, keyLength, (NftSetFlags)flags, dataType, dataLength, handle) { UserData = userData };
    }
}

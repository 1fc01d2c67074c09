using System;
using System.Collections.Generic;
using static LinuxIsolation.Netlink.Nftables.Native.NfTablesAttributes;

namespace LinuxIsolation.Netlink.Nftables;

/// <summary>An element of a set, or a key and value of a map (<c>nft add element inet t s { 10.0.0.1 }</c>).</summary>
/// <param name="Key">The key.</param>
/// <param name="Data">Maps with data values: the value; null otherwise.</param>
/// <param name="Verdict">Verdict maps: the verdict; null otherwise.</param>
/// <param name="Flags"><c>NFT_SET_ELEM_*</c> flags (1 interval end); 0 for none.</param>
public sealed record NftSetElement(NftData Key, NftData? Data = null, NftVerdict? Verdict = null, uint Flags = 0)
{
    /// <summary>Writes the element as list entry number <paramref name="number"/> (1-based): the kernel ignores the nest type; libnftnl numbers entries and so do we, to send the same bytes.</summary>
    internal void Write(ref NetlinkWriter writer, int number)
    {
        NetlinkNestToken element = writer.BeginNested((ushort)((number & NetlinkAttribute.TypeMask) | NLA_F_NESTED));
        if (Flags != 0)
        {
            writer.WriteUInt32BigEndian(NFTA_SET_ELEM_FLAGS, Flags);
        }

        NftWire.WriteData(ref writer, NFTA_SET_ELEM_KEY, Key);
        if (Data is NftData data)
        {
            NftWire.WriteData(ref writer, NFTA_SET_ELEM_DATA, data);
        }
        else if (Verdict is not null)
        {
            NftWire.WriteVerdict(ref writer, NFTA_SET_ELEM_DATA, Verdict);
        }

        writer.EndNested(element);
    }

    internal static void ParseList(NetlinkMessage message, List<NftSetElement> into)
    {
        foreach (NetlinkAttribute a in message.GetAttributes(NftWire.FamilyHeaderSize))
        {
            if (a.Type != NFTA_SET_ELEM_LIST_ELEMENTS)
            {
                continue;
            }

            foreach (NetlinkAttribute e in a.GetNested())
            {
                NftData key = default;
                NftData? data = null;
                NftVerdict? verdict = null;
                uint flags = 0;
                foreach (NetlinkAttribute f in e.GetNested())
                {
                    switch (f.Type)
                    {
                        case NFTA_SET_ELEM_KEY: key = NftWire.ReadData(f, out _); break;
                        case NFTA_SET_ELEM_FLAGS: flags = f.GetUInt32BigEndian(); break;
                        case NFTA_SET_ELEM_DATA:
                            NftData value = NftWire.ReadData(f, out verdict);
                            data = verdict is null ? value : null;
                            break;
                    }
                }

                into.Add(new NftSetElement(key, data, verdict, flags));
            }
        }
    }

    internal void Validate(NftSet? set, string paramName)
    {
        if (Key.Length == 0)
        {
            throw new ArgumentException("A set element needs a key.", paramName);
        }

        if (Data is not null && Verdict is not null)
        {
            throw new ArgumentException("A set element maps to a value or a verdict, not both.", paramName);
        }

        Verdict?.Validate();
        if (set is not null && Key.Length != set.KeyLength)
        {
            throw new ArgumentException($"Set {set}: keys are {set.KeyLength} bytes; element key {Key} is {Key.Length}.", paramName);
        }
    }
}

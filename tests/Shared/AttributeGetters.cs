using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.TestShared;

/// <summary>For the decoder fuzzing and property tests: every typed getter of an attribute whose size fits.</summary>
internal static class AttributeGetters
{
    /// <summary>Reads the attribute with every getter its length allows and returns a value built from all of them.</summary>
    public static long ReadFitting(NetlinkAttribute a)
    {
        int n = a.Value.Length;
        long sink = a.GetStringBytes().Length + a.GetString().Length;
        sink += n >= 1 ? a.GetUInt8() : 0;
        sink += n >= 2 ? a.GetUInt16() + a.GetUInt16BigEndian() : 0;
        sink += n >= 4 ? a.GetUInt32() + a.GetUInt32BigEndian() + a.GetInt32() : 0;
        sink += n >= 8 ? (long)(a.GetUInt64() ^ a.GetUInt64BigEndian()) : 0;
        sink += n >= 16 ? a.GetStruct<IfInfoMsg>().ifi_index : 0;
        sink += n is 4 or 16 ? a.GetIPAddress().GetAddressBytes().Length : 0;
        return sink;
    }
}

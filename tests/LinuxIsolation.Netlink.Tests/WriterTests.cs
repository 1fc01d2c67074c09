using System;
using System.Net;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

public class WriterTests
{
    [Fact]
    public void AttributesArePaddedWithZeroesWhateverTheBufferHeld()
    {
        byte[] buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);
        var writer = new NetlinkWriter(buffer);
        writer.WriteUInt8(1, 0x7F);
        writer.WriteString(2, "abcd");
        writer.WriteFlag(3);
        Assert.Equal(
            "05000100" + "7F000000" +       // nla_len 5, type 1, u8 0x7f, 3 bytes padding
            "09000200" + "61626364" + "00000000" + // nla_len 9, type 2, "abcd\0", 3 bytes padding
            "04000300",                     // nla_len 4, type 3, no payload
            Convert.ToHexString(writer.WrittenSpan));
    }

    [Fact]
    public void ValuesAreWrittenInTheByteOrderTheNameSays()
    {
        byte[] buffer = new byte[128];
        var writer = new NetlinkWriter(buffer);
        writer.WriteUInt16(1, 0x0102);
        writer.WriteUInt16BigEndian(2, 0x0102);
        writer.WriteUInt32(3, 0x01020304);
        writer.WriteUInt32BigEndian(4, 0x01020304);
        writer.WriteUInt64(5, 0x0102030405060708);
        writer.WriteUInt64BigEndian(6, 0x0102030405060708);
        writer.WriteInt32(7, -2);
        writer.WriteIPAddress(8, IPAddress.Parse("10.1.2.3"));
        writer.WriteIPAddress(9, IPAddress.Parse("fd00::1"));
        Assert.Equal(
            "06000100" + "02010000" +
            "06000200" + "01020000" +
            "08000300" + "04030201" +
            "08000400" + "01020304" +
            "0C000500" + "0807060504030201" +
            "0C000600" + "0102030405060708" +
            "08000700" + "FEFFFFFF" +
            "08000800" + "0A010203" +
            "14000900" + "FD000000000000000000000000000001",
            Convert.ToHexString(writer.WrittenSpan));

        var reader = new NetlinkAttributeReader(writer.WrittenSpan);
        Assert.True(reader.MoveNext()); Assert.Equal(0x0102, reader.Current.GetUInt16());
        Assert.True(reader.MoveNext()); Assert.Equal(0x0102, reader.Current.GetUInt16BigEndian());
        Assert.True(reader.MoveNext()); Assert.Equal(0x01020304u, reader.Current.GetUInt32());
        Assert.True(reader.MoveNext()); Assert.Equal(0x01020304u, reader.Current.GetUInt32BigEndian());
        Assert.True(reader.MoveNext()); Assert.Equal(0x0102030405060708ul, reader.Current.GetUInt64());
        Assert.True(reader.MoveNext()); Assert.Equal(0x0102030405060708ul, reader.Current.GetUInt64BigEndian());
        Assert.True(reader.MoveNext()); Assert.Equal(-2, reader.Current.GetInt32());
        Assert.True(reader.MoveNext()); Assert.Equal(IPAddress.Parse("10.1.2.3"), reader.Current.GetIPAddress());
        Assert.True(reader.MoveNext()); Assert.Equal(IPAddress.Parse("fd00::1"), reader.Current.GetIPAddress());
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void NestedScopesBackPatchTheirLengths()
    {
        byte[] buffer = new byte[64];
        var writer = new NetlinkWriter(buffer);
        NetlinkMessageToken m = writer.BeginMessage(0x10, NetlinkMessageFlags.Request, sequence: 7);
        NetlinkNestToken outer = writer.BeginNested(1);
        NetlinkNestToken inner = writer.BeginNested(2 | NetlinkAttribute.NestedFlag);
        writer.WriteUInt32(3, 9);
        writer.EndNested(inner);
        writer.EndNested(outer);
        writer.EndMessage(m);
        Assert.Equal(0, writer.Depth);
        Assert.Equal(
            "20000000" + "1000" + "0100" + "07000000" + "00000000" + // nlmsghdr: len 32, type 0x10, REQUEST, seq 7, pid 0
            "10000100" +                                          // outer: len 16, type 1
            "0C000280" +                                          // inner: len 12, type 2 | NLA_F_NESTED
            "08000300" + "09000000",                               // u32 9
            Convert.ToHexString(writer.WrittenSpan));

        NetlinkMessage message = NetlinkReader.ReadSingle(writer.WrittenSpan);
        NetlinkAttributeReader attributes = message.GetAttributes(0);
        Assert.True(attributes.TryFind(1, out NetlinkAttribute o));
        Assert.True(o.GetNested().TryFind(2, out NetlinkAttribute i));
        Assert.True(i.IsNested);
        Assert.True(i.GetNested().TryFind(3, out NetlinkAttribute v));
        Assert.Equal(9u, v.GetUInt32());
    }

    [Fact]
    public void ClosingScopesOutOfOrderThrows()
    {
        byte[] buffer = new byte[64];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            NetlinkMessageToken m = writer.BeginMessage(0x10, NetlinkMessageFlags.Request);
            _ = writer.BeginNested(1);
            writer.EndMessage(m);
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            NetlinkNestToken outer = writer.BeginNested(1);
            _ = writer.BeginNested(2);
            writer.EndNested(outer);
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.EndNested(default);
        });
    }

    [Fact]
    public void TooSmallBufferThrowsTheDocumentedException()
    {
        byte[] buffer = new byte[20];
        NetlinkBufferTooSmallException e = Assert.Throws<NetlinkBufferTooSmallException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(0x10, NetlinkMessageFlags.Request);
            writer.WriteString(3, "too long for the rest");
        });
        Assert.Equal(20, e.Available);
        Assert.Equal(16 + 4 + 24, e.Needed);
    }

    [Fact]
    public void Utf8NamesAreEncoded()
    {
        byte[] buffer = new byte[32];
        var writer = new NetlinkWriter(buffer);
        writer.WriteString(3, "é");
        Assert.Equal("07000300" + "C3A900" + "00", Convert.ToHexString(writer.WrittenSpan));
    }
}

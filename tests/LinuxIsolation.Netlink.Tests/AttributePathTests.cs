using System;
using System.Buffers.Binary;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>The extended-ACK offset resolved to an attribute path, on a request whose u32 values look like nests.</summary>
public class AttributePathTests
{
    /// <summary>
    /// nlmsghdr (16) + a 16-byte family header, then: at 32 attribute 4 holding the u32 0x00070004 (which reads as
    /// an attribute of length 4 and type 7); at 40 a nest of type 18 holding, at 44, attribute 1 with the same u32.
    /// </summary>
    private static byte[] Request()
    {
        byte[] m = new byte[52];
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)m.Length);
        Attribute(m, 32, 4, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(36), 0x00070004);
        Attribute(m, 40, 18, 12);
        Attribute(m, 44, 1, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(48), 0x00070004);
        return m;
    }

    private static void Attribute(byte[] m, int at, ushort type, ushort length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(at), length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(at + 2), type);
    }

    [Theory]
    [InlineData(32, new ushort[] { 4 })]          // the header of a top-level attribute (what the kernel reports)
    [InlineData(40, new ushort[] { 18 })]         // the header of a nest
    [InlineData(44, new ushort[] { 18, 1 })]      // the header of an attribute in the nest
    [InlineData(38, new ushort[] { 4 })]          // inside the u32: not "4/7", the 7 is the value's bytes
    [InlineData(50, new ushort[] { 18 })]         // inside the nested u32: not "18/1/7"; only the top level is certain
    [InlineData(46, new ushort[] { 18 })]         // inside the nested attribute's header
    public void OffsetResolvesToTheAttributePathOnlyWhereItIsCertain(int offset, ushort[] expected) =>
        Assert.Equal(expected, NetlinkErrorMessage.AttributePathAt(Request(), 16, offset));

    [Theory]
    [InlineData(0)]    // in the netlink header
    [InlineData(20)]   // in the family header
    [InlineData(52)]   // past the end
    public void OffsetOutsideTheAttributesHasNoPath(int offset) =>
        Assert.Null(NetlinkErrorMessage.AttributePathAt(Request(), 16, offset));
}

using System;
using System.Collections.Generic;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// The netlink wire format: <see cref="NetlinkReader"/> (and <c>ReadSingle</c>), <see cref="NetlinkMessage"/>
/// (<c>ReadHeader</c>, <c>GetAttributes</c> for family headers of 0 to 20 bytes), <see cref="NetlinkAttributeReader"/>
/// (walk, <c>TryFind</c>, nested walks four deep), every <see cref="NetlinkAttribute"/> getter, and
/// <see cref="NetlinkErrorMessage"/> (errno, echoed request, extended-ACK message, offset, missing type,
/// <c>ToException</c> with the attribute-path resolution of <c>AttributePathAt</c>).
/// </summary>
internal sealed class NetlinkFamily : NetlinkDatagramFamily
{
    private static readonly int[] HeaderSizes = [0, 4, 8, 12, 16, 20];
    private long _sink;
    private bool _checkedOversizedRead;

    public NetlinkFamily(IReadOnlyList<byte[]> seeds, GuardPage guard)
        : base(seeds, guard)
    {
    }

    public override string Name => "netlink";

    public override string Decoders => "NetlinkReader, ReadSingle, NetlinkMessage.ReadHeader/GetAttributes, NetlinkAttributeReader (walk, TryFind, nested), NetlinkAttribute getters, NetlinkErrorMessage (extended ACK, ToException, AttributePathAt)";

    public override string DocumentedException => nameof(NetlinkDecodeException);

    protected override void Decode(byte[] input)
    {
        ReadOnlySpan<byte> datagram = Guard.Place(input);
        try
        {
            _sink += NetlinkReader.ReadSingle(datagram).Payload.Length;
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }

        try
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                _sink += message.Type + message.Sequence + message.PortId + (uint)message.Flags + message.Payload.Length;
                if (message.IsError)
                {
                    Error(message, datagram);
                }

                try
                {
                    _sink += message.ReadHeader<IfInfoMsg>().ifi_index;
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }

                // The message type's own family header, and one other size (a wrong guess must fail cleanly too).
                _checkedOversizedRead = false;
                int natural = NetlinkTree.FamilyHeaderSize(message.Type);
                foreach (int header in new[] { natural, HeaderSizes[(message.Type + message.Payload.Length) % HeaderSizes.Length] })
                {
                    try
                    {
                        NetlinkAttributeReader attributes = message.GetAttributes(header);
                        _sink += Walk(attributes, 0);
                        _sink += attributes.TryFind((ushort)(header + 1), out NetlinkAttribute found) ? found.Value.Length : 0;
                    }
                    catch (NetlinkDecodeException e)
                    {
                        Rejection(e);
                    }
                }
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }
    }

    private void Error(NetlinkMessage message, ReadOnlySpan<byte> datagram)
    {
        try
        {
            NetlinkErrorMessage error = message.GetError();
            _sink += error.Errno + error.Request.nlmsg_len + error.RequestPayload.Length + error.Attributes.Length + (error.IsAcknowledgement ? 1 : 0);
            try
            {
                _sink += error.GetKernelMessage()?.Length ?? 0;
            }
            catch (NetlinkDecodeException e)
            {
                Rejection(e);
            }

            try
            {
                _sink += (error.GetErrorOffset() ?? 0) + (error.GetMissingAttributeType() ?? 0);
            }
            catch (NetlinkDecodeException e)
            {
                Rejection(e);
            }

            // The request the error answers: the datagram itself stands in for it, under several family header sizes.
            foreach (int header in new[] { -1, 0, 4, 16 })
            {
                try
                {
                    NetlinkException ex = error.ToException("fuzz", datagram, header);
                    _sink += ex.Message.Length + (ex.AttributePath?.Count ?? 0);
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }
            }

        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }

        for (int offset = 0; offset < datagram.Length; offset += Math.Max(1, datagram.Length / 7))
        {
            _sink += NetlinkErrorMessage.AttributePathAt(datagram, offset % 20, offset)?.Length ?? 0;
        }
    }

    private long Walk(NetlinkAttributeReader reader, int depth)
    {
        long sink = 0;
        while (reader.MoveNext())
        {
            NetlinkAttribute a = reader.Current;
            sink += a.Type + a.RawType + a.Value.Length + reader.CurrentOffset + (a.IsNested ? 1 : 0) + (a.IsNetworkByteOrder ? 2 : 0);
            sink += Getters(a);
            // Descend where the payload starts like a nest; a malformed tail still throws.
            if (depth < 4 && a.Value.Length >= 4 && BitConverter.ToUInt16(a.Value) is >= 4 and var first && first <= a.Value.Length)
            {
                try
                {
                    sink += Walk(a.GetNested(), depth + 1);
                }
                catch (NetlinkDecodeException e)
                {
                    Rejection(e);
                }
            }
        }

        return sink;
    }

    private long Getters(NetlinkAttribute a)
    {
        int n = a.Value.Length;
        long sink = LinuxIsolation.TestShared.AttributeGetters.ReadFitting(a);

        // One getter that does not fit, which must throw the documented exception (exceptions are slow: one per message).
        if (_checkedOversizedRead)
        {
            return sink;
        }

        _checkedOversizedRead = true;
        try
        {
            sink += n switch
            {
                0 => a.GetUInt8(),
                < 2 => a.GetUInt16BigEndian(),
                < 4 => a.GetUInt32(),
                < 8 => (long)a.GetUInt64BigEndian(),
                < 16 => a.GetStruct<IfInfoMsg>().ifi_index,
                _ => n is 4 or 16 ? 0 : a.GetIPAddress().AddressFamily.GetHashCode(),
            };
            if (n is not (4 or 16) && n >= 16)
            {
                throw new InvalidOperationException($"a {n}-byte attribute was read as an IP address");
            }

            if (n < 16)
            {
                throw new InvalidOperationException($"a {n}-byte attribute was read as a larger value");
            }
        }
        catch (NetlinkDecodeException e)
        {
            Rejection(e);
        }

        return sink;
    }
}

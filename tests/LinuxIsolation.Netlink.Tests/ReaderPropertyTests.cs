using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using CsCheck;
using LinuxIsolation.Netlink.Rtnetlink;
using LinuxIsolation.Netlink.Rtnetlink.Native;
using Xunit;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>
/// Hostile input for the readers: random, truncated, length-corrupted and mutated datagrams (well over
/// 100,000 cases in all). Every decoder entry point is exercised; the only exception allowed is
/// <see cref="NetlinkDecodeException"/>. Each datagram is placed so that it ends exactly at a page boundary
/// followed by an inaccessible guard page: a read past its end would crash the test process.
/// </summary>
public unsafe partial class ReaderPropertyTests : IDisposable
{
    private const int PageSize = 4096;
    private const int Region = 16 * PageSize; // room for the largest captured datagram (a 14,888-byte dump part)
    private readonly byte* _pages;

    public ReaderPropertyTests()
    {
        _pages = (byte*)mmap(null, Region + PageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        Assert.True(_pages != (byte*)-1);
        Assert.Equal(0, mprotect(_pages + Region, PageSize, PROT_NONE));
    }

    public void Dispose() => munmap(_pages, Region + PageSize);

    private static readonly byte[][] Captured = LoadCaptured();

    private static byte[][] LoadCaptured() =>
        System.IO.Directory.GetFiles(TestVectors.Directory, "*.txt")
            .SelectMany(f => TestVectors.LoadDatagrams(System.IO.Path.GetFileName(f)))
            .ToArray();

    /// <summary>Decodes everything it can reach; lets only NetlinkDecodeException out.</summary>
    private void DecodeAtGuard(byte[] data)
    {
        Assert.True(data.Length <= Region);
        byte* start = _pages + Region - data.Length;
        data.CopyTo(new Span<byte>(start, data.Length));
        var span = new ReadOnlySpan<byte>(start, data.Length);
        try
        {
            DecodeAll(span);
        }
        catch (NetlinkDecodeException)
        {
            // The documented failure.
        }
    }

    private static long DecodeAll(ReadOnlySpan<byte> datagram)
    {
        long sink = 0;
        foreach (NetlinkMessage message in new NetlinkReader(datagram))
        {
            sink += message.Type + message.Sequence + (uint)message.Flags + message.Payload.Length;
            if (message.IsError)
            {
                sink += Try(message, static m =>
                {
                    NetlinkErrorMessage e = m.GetError();
                    return e.Errno + (e.GetKernelMessage()?.Length ?? 0) + (e.GetErrorOffset() ?? 0) + (e.GetMissingAttributeType() ?? 0) + e.ToException("x", default).Message.Length;
                });
                continue;
            }

            sink += Try(message, static m => LinkMessages.Parse(m).Index);
            sink += Try(message, static m => LinkMessages.TryReadIndexAndName(m, out int i, out ReadOnlySpan<byte> n) ? i + n.Length : 0);
            sink += Try(message, static m => (long)m.ReadHeader<IfInfoMsg>().ifi_flags);
            sink += Try(message, static m => RuleMessages.TryParse(m, out RoutingRule? r) ? r!.ToString().Length : 0);
            sink += Try(message, static m => TrafficControlMessages.ParseQdisc(m).ToString().Length);
            sink += Try(message, static m => TrafficControlMessages.ParseFilter(m).ToString().Length);
            sink += Try(message, static m => LinuxIsolation.Netlink.Conntrack.ConntrackMessages.TryParse(m, out LinuxIsolation.Netlink.Conntrack.ConntrackEntry? e) ? e!.ToString().Length : 0);
            sink += Try(message, static m => LinuxIsolation.Netlink.Conntrack.ConntrackMonitor.Decode(m)?.ToString().Length ?? 0);
            foreach (int header in new[] { 0, 8, 16 })
            {
                sink += Try(message, m => WalkAttributes(m.GetAttributes(header), 0));
            }
        }

        return sink;
    }

    private delegate long MessageProbe(NetlinkMessage message);

    private static long Try(NetlinkMessage message, MessageProbe probe)
    {
        try
        {
            return probe(message);
        }
        catch (NetlinkDecodeException)
        {
            return 0;
        }
    }

    private static long WalkAttributes(NetlinkAttributeReader reader, int depth)
    {
        long sink = 0;
        while (reader.MoveNext())
        {
            NetlinkAttribute a = reader.Current;
            sink += a.Type + a.Value.Length + (a.IsNested ? 1 : 0);
            sink += TryValue(a);
            // Descend where the payload starts like a nest (exceptions are slow; a malformed tail still throws).
            if (depth < 4 && a.Value.Length >= 4 && BitConverter.ToUInt16(a.Value) is >= 4 and var first && first <= a.Value.Length)
            {
                try
                {
                    sink += WalkAttributes(a.GetNested(), depth + 1);
                }
                catch (NetlinkDecodeException)
                {
                    // Not every payload is a nest.
                }
            }
        }

        return sink;
    }

    private static long TryValue(NetlinkAttribute a)
    {
        // Getters are called where the size fits, plus the first one that does not (which must throw the
        // documented exception): exceptions are slow, and one per attribute proves the check.
        int n = a.Value.Length;
        long sink = LinuxIsolation.TestShared.AttributeGetters.ReadFitting(a);
        if (n < 16)
        {
            try
            {
                sink += n < 8 ? (long)a.GetUInt64() : a.GetStruct<Guid>().GetHashCode();
                throw new InvalidOperationException($"a {n}-byte attribute was read as a larger value");
            }
            catch (NetlinkDecodeException)
            {
            }
        }

        return sink;
    }

    [Fact]
    public void RandomDatagramsOnlyThrowTheDocumentedException()
    {
        Gen.Byte.Array[0, 600].Sample(DecodeAtGuard, iter: 40_000, threads: 1);
    }

    [Fact]
    public void RandomDatagramsWithPlausibleHeadersOnlyThrowTheDocumentedException()
    {
        // Valid-looking message and attribute headers with random lengths reach much deeper than pure noise.
        Gen<byte[]> plausible =
            from types in Gen.UShort[0, 40].Array[1, 12]
            from lengths in Gen.UShort[0, 120].Array[12]
            from noise in Gen.Byte.Array[200, 400]
            select Plausible(types, lengths, noise);
        plausible.Sample(DecodeAtGuard, iter: 30_000, threads: 1);
    }

    private static byte[] Plausible(ushort[] types, ushort[] lengths, byte[] noise)
    {
        byte[] d = (byte[])noise.Clone();
        int messageLength = Math.Min(d.Length, 16 + 16 + lengths[0] * 2);
        BitConverter.TryWriteBytes(d.AsSpan(0), messageLength);
        BitConverter.TryWriteBytes(d.AsSpan(4), types[0] % 3 == 0 ? NetlinkMessageType.Error : Rtm.RTM_NEWLINK);
        int offset = 32;
        for (int i = 1; i < types.Length && offset + 4 <= d.Length; i++)
        {
            BitConverter.TryWriteBytes(d.AsSpan(offset), lengths[i]);
            BitConverter.TryWriteBytes(d.AsSpan(offset + 2), (ushort)(types[i] | (i % 2 == 0 ? 0x8000 : 0)));
            offset += 4 + (lengths[i] % 24);
        }

        return d;
    }

    [Fact]
    public void TruncatedCapturesOnlyThrowTheDocumentedException()
    {
        // Every prefix of the small captures; for the large dump datagrams, every prefix that cuts within
        // 64 bytes after a message boundary (where headers and first attributes lie) and every 16th beyond.
        int cases = 0;
        foreach (byte[] capture in Captured)
        {
            var boundaries = new List<int>();
            for (int offset = 0; offset + 4 <= capture.Length;)
            {
                boundaries.Add(offset);
                int length = BitConverter.ToInt32(capture, offset);
                if (length < 16)
                {
                    break;
                }

                offset += (length + 3) & ~3;
            }

            for (int length = 0; length <= capture.Length; length++)
            {
                if (capture.Length > 2048 && length % 16 != 0 && !boundaries.Any(b => length >= b && length - b < 64))
                {
                    continue;
                }

                DecodeAtGuard(capture.AsSpan(0, length).ToArray());
                cases++;
            }
        }

        Assert.True(cases > 2_500, $"only {cases} truncations");
    }

    [Fact]
    public void OversizedAndCorruptedLengthsInCapturesOnlyThrowTheDocumentedException()
    {
        // Overwrite a 16-bit or 32-bit field at a random (aligned) offset with a random, often oversized, value.
        Gen<(int Which, int Offset, uint Value, bool Wide)> corruption =
            Gen.Select(Gen.Int[0, Captured.Length - 1], Gen.Int[0, 4096], Gen.OneOf(Gen.UInt[0, 70_000], Gen.UInt), Gen.Bool);
        corruption.Sample(c =>
        {
            byte[] d = (byte[])Captured[c.Which].Clone();
            int offset = (c.Offset % Math.Max(1, d.Length - 4)) & ~1; // within the first 4 KiB: headers live there
            if (c.Wide)
            {
                BitConverter.TryWriteBytes(d.AsSpan(offset), c.Value);
            }
            else
            {
                BitConverter.TryWriteBytes(d.AsSpan(offset), (ushort)c.Value);
            }

            DecodeAtGuard(d);
        }, iter: 30_000, threads: 1);
    }

    private const int PROT_NONE = 0;
    private const int PROT_READ = 1;
    private const int PROT_WRITE = 2;
    private const int MAP_PRIVATE = 2;
    private const int MAP_ANONYMOUS = 0x20;

    [LibraryImport("libc")]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc")]
    private static partial int mprotect(void* addr, nuint len, int prot);

    [LibraryImport("libc")]
    private static partial int munmap(void* addr, nuint length);
}

using System;
using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using LinuxIsolation.Netlink;
using LinuxIsolation.Netlink.Rtnetlink;

namespace LinuxIsolation.Benchmarks;

/// <summary>
/// Decoding a 1,000-link <c>RTM_GETLINK</c> dump (about 1.5 MB in 32 KiB datagrams, modelled on a kernel 6.18
/// capture) as it sits in the receive buffers: (index, name) pairs into caller-owned arrays (expected 0 B
/// allocated), and the full <see cref="Link"/> records (allocates the records and their strings).
/// </summary>
[MemoryDiagnoser]
public class LinkDumpBenchmarks
{
    private const int LinkCount = 1000;

    private byte[][] _datagrams = null!;
    private readonly int[] _indexes = new int[LinkCount];
    private readonly int[] _nameLengths = new int[LinkCount];
    private readonly char[] _names = new char[LinkCount * 16];
    private readonly Link[] _links = new Link[LinkCount];

    /// <summary>Builds the dump and checks that both decoders see every link.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _datagrams = LinkDump.Build(LinkCount);
        if (IndexAndName() != LinkCount || Parse() != LinkCount || _links[LinkCount - 1].Index != LinkCount)
        {
            throw new InvalidDataException($"The generated dump does not decode to {LinkCount} links.");
        }
    }

    /// <summary>Index and name of every link, names decoded to chars in a preallocated array.</summary>
    [Benchmark]
    public int IndexAndName()
    {
        int count = 0;
        Span<char> names = _names;
        foreach (byte[] datagram in _datagrams)
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (LinkMessages.TryReadIndexAndName(message, out int index, out ReadOnlySpan<byte> name))
                {
                    _indexes[count] = index;
                    _nameLengths[count] = Encoding.UTF8.GetChars(name, names.Slice(count * 16, 16));
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Every link decoded with <see cref="LinkMessages.Parse"/> into a <see cref="Link"/>.</summary>
    [Benchmark]
    public int Parse()
    {
        int count = 0;
        foreach (byte[] datagram in _datagrams)
        {
            foreach (NetlinkMessage message in new NetlinkReader(datagram))
            {
                if (message.Type == Netlink.Rtnetlink.Native.Rtm.RTM_NEWLINK)
                {
                    _links[count++] = LinkMessages.Parse(message);
                }
            }
        }

        return count;
    }
}

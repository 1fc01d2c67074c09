using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace LinuxIsolation.Netlink.Tests;

/// <summary>Loads the captured netlink vectors under Vectors/ (format described in Vectors/README.md).</summary>
internal static class TestVectors
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Vectors");

    /// <summary>The bytes of a single-message vector.</summary>
    public static byte[] Load(string name) => LoadDatagrams(name).Single();

    /// <summary>The datagrams of a vector; blocks are separated by "# datagram N" lines.</summary>
    public static List<byte[]> LoadDatagrams(string name) => LinuxIsolation.TestShared.HexDatagramFile.Load(Path.Combine(Directory, name));

    /// <summary>The command line recorded in a vector's "# command:" line.</summary>
    public static string Command(string name) =>
        File.ReadLines(Path.Combine(Directory, name)).First(l => l.StartsWith("# command:", StringComparison.Ordinal)).Substring(10).Trim();

    /// <summary>Zeroes the sequence number (bytes 8..11) of every message, which iproute2 seeds from the clock.</summary>
    public static byte[] WithoutSequence(ReadOnlySpan<byte> messages)
    {
        byte[] copy = messages.ToArray();
        int offset = 0;
        while (offset + 16 <= copy.Length)
        {
            int length = BitConverter.ToInt32(copy, offset);
            Array.Clear(copy, offset + 8, 4);
            offset += (length + 3) & ~3;
        }

        return copy;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace LinuxIsolation.TestShared;

/// <summary>
/// Reads the captured-datagram text format shared by the test vectors (tests/LinuxIsolation.Netlink.Tests/Vectors)
/// and the fuzzing corpus (tests/Fuzz/Corpus): hex bytes separated by spaces, blocks separated by
/// "# datagram N" lines, other "#" lines comments. Compiled into each test program that reads them.
/// </summary>
internal static class HexDatagramFile
{
    public static List<byte[]> Load(string path)
    {
        var datagrams = new List<byte[]>();
        var current = new List<byte>();
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.StartsWith("# datagram", StringComparison.Ordinal) && current.Count > 0)
            {
                datagrams.Add(current.ToArray());
                current.Clear();
                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            foreach (string pair in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                current.Add(byte.Parse(pair, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        if (current.Count > 0)
        {
            datagrams.Add(current.ToArray());
        }

        return datagrams;
    }
}

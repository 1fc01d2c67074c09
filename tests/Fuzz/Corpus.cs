using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace LinuxIsolation.Fuzz;

/// <summary>Loads the seeds copied next to the program (Corpus/README.md says where each comes from).</summary>
internal static class Corpus
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>Every datagram of every netlink vector (captures of this harness and the test project's vectors).</summary>
    public static List<(string File, byte[] Datagram)> NetlinkDatagrams()
    {
        var result = new List<(string, byte[])>();
        foreach (string folder in new[] { "netlink", "vectors" })
        {
            foreach (string file in System.IO.Directory.GetFiles(Path.Combine(Directory, folder), "*.txt").Order(StringComparer.Ordinal))
            {
                foreach (byte[] d in LoadDatagrams(file))
                {
                    result.Add((Path.GetFileName(file), d));
                }
            }
        }

        return result;
    }

    /// <summary>True for seeds of nf_tables messages (nfnetlink subsystem 10 or the batch delimiters).</summary>
    public static bool IsNftables(byte[] datagram) =>
        datagram.Length >= 16 && (BitConverter.ToUInt16(datagram, 4) >> 8 == 10 || BitConverter.ToUInt16(datagram, 4) is 0x10 or 0x11);

    public static List<string> Texts(string folder) =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, folder), "*.txt").Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f, Encoding.UTF8)).ToList();

    /// <summary>Hex blocks separated by "# datagram N" lines; other "#" lines are comments.</summary>
    public static List<byte[]> LoadDatagrams(string path) => LinuxIsolation.TestShared.HexDatagramFile.Load(path);
}

using System;
using System.Collections.Generic;
using System.Text;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// Line- and field-aware mutations of the kernel's text files (mountinfo, cgroup interface files): lines
/// deleted, duplicated, swapped or spliced from other seeds; fields deleted, duplicated, emptied or replaced by
/// boundary numbers, odd separators, escapes (valid and broken), non-ASCII and invalid UTF-8; separators changed;
/// truncation and byte flips on the UTF-8 bytes. The result is bytes, decoded as the library reads the file.
/// </summary>
internal sealed class TextMutator
{
    private static readonly string[] Tokens =
    [
        "", " ", "0", "1", "-1", "max", "MAX", "-max", "+5", "007", "1e308", "NaN", "Infinity", "-0", "0x10", "1_000",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "99999999999999999999999999", "٣", "１２", "12.5", "-", "--",
        "=", "==", "a=", "=1", "total=", "total=max", "avg10=", "avg10=1e400", "avg10=-0.5", "rbytes=-1", "8:", ":0",
        "8:16", "8:16:3", "-1:-1", "2147483648:0", "some", "full", "populated", "frozen", "oom_kill", "usage_usec",
        "\\", "\\0", "\\04", "\\040", "\\134", "\\011", "\\012", "\\777", "\\999", "\\8", "\\089", "\\400", "\\x41",
        "cgroup2", "cgroup", "tmpfs", "rw,nsdelegate", "cpu,cpuacct", "blkio", "memory", "name=systemd", "/", "//",
        "/..", "../..", "/sys/fs/cgroup", "shared:1", "master:2", "propagate_from:3", "unbindable", "ünïcødé", "名前",
        "\u00a0", "\u2028", "\t", "\r", "\0", "\uFEFF",
    ];

    private readonly List<string[]> _seeds = new();

    public TextMutator(IEnumerable<string> texts)
    {
        foreach (string t in texts)
        {
            _seeds.Add(t.Split('\n'));
        }

        if (_seeds.Count == 0)
        {
            throw new InvalidOperationException("no text seed");
        }
    }

    public int SeedCount => _seeds.Count;

    /// <summary>The seeds as UTF-8, for a coverage-guided fuzzer's starting corpus.</summary>
    public IEnumerable<byte[]> SeedTexts()
    {
        foreach (string[] lines in _seeds)
        {
            yield return Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }
    }

    public byte[] Next(ref Rng rng)
    {
        var lines = new List<string>(rng.Pick(_seeds));
        int edits = rng.OneIn(10) ? 0 : rng.Small(6);
        for (int i = 0; i < edits; i++)
        {
            MutateLines(lines, ref rng);
        }

        string text = string.Join(rng.OneIn(20) ? "\r\n" : "\n", lines);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (edits == 0 || rng.OneIn(4))
        {
            int raw = rng.Small(3);
            for (int i = 0; i < raw; i++)
            {
                bytes = MutateRaw(bytes, ref rng);
            }
        }

        return bytes;
    }

    private void MutateLines(List<string> lines, ref Rng rng)
    {
        if (lines.Count == 0)
        {
            lines.Add(rng.Pick(Tokens));
            return;
        }

        int at = rng.Below(lines.Count);
        switch (rng.Below(9))
        {
            case 0:
                lines.RemoveAt(at);
                break;
            case 1:
                lines.Insert(at, lines[at]);
                break;
            case 2:
                {
                    int b = rng.Below(lines.Count);
                    (lines[at], lines[b]) = (lines[b], lines[at]);
                    break;
                }

            case 3: // splice a line of another seed
                lines.Insert(at, rng.Pick(rng.Pick(_seeds)));
                break;
            case 4: // many lines
                {
                    int copies = rng.Between(2, 60);
                    for (int i = 0; i < copies; i++)
                    {
                        lines.Add(lines[rng.Below(lines.Count)]);
                    }

                    break;
                }

            default:
                lines[at] = MutateFields(lines[at], ref rng);
                break;
        }
    }

    private static string MutateFields(string line, ref Rng rng)
    {
        char separator = rng.OneIn(4) ? rng.Pick(new[] { ',', '=', ':', '/' }) : ' ';
        var fields = new List<string>(line.Split(separator));
        int at = rng.Below(fields.Count);
        switch (rng.Below(10))
        {
            case 0:
                fields.RemoveAt(at);
                break;
            case 1:
                fields.Insert(at, fields[at]);
                break;
            case 2:
                fields[at] = string.Empty;
                break;
            case 3: // keep a key, swap its value: "key=VALUE"
                {
                    int eq = fields[at].IndexOf('=', StringComparison.Ordinal);
                    fields[at] = eq >= 0 ? fields[at].Substring(0, eq + 1) + rng.Pick(Tokens) : rng.Pick(Tokens);
                    break;
                }

            case 4:
                fields.Insert(rng.Below(fields.Count + 1), rng.Pick(Tokens));
                break;
            case 5: // an escape or odd text inside a field
                {
                    string f = fields[at];
                    int pos = rng.Below(f.Length + 1);
                    fields[at] = f.Insert(pos, rng.OneIn(2) ? rng.Pick(Tokens) : NetlinkMutator.OddString(ref rng));
                    break;
                }

            case 6: // truncate a field (a cut escape, a cut number)
                fields[at] = fields[at].Substring(0, rng.Below(fields[at].Length + 1));
                break;
            case 7: // separators doubled, changed to tabs, leading and trailing spaces
                return rng.Below(4) switch
                {
                    0 => line.Replace(" ", "  ", StringComparison.Ordinal),
                    1 => line.Replace(' ', '\t'),
                    2 => " " + line,
                    _ => line + " ",
                };
            case 8: // a long field
                fields[at] = new string(rng.OneIn(2) ? '9' : 'a', rng.Between(20, 1000));
                break;
            default:
                fields[at] = rng.Pick(Tokens);
                break;
        }

        return string.Join(separator, fields);
    }

    private static byte[] MutateRaw(byte[] bytes, ref Rng rng)
    {
        switch (rng.Below(4))
        {
            case 0:
                return bytes.AsSpan(0, rng.Below(bytes.Length + 1)).ToArray();
            case 1:
                for (int i = rng.Small(6); i > 0 && bytes.Length > 0; i--)
                {
                    bytes[rng.Below(bytes.Length)] ^= (byte)(1 << rng.Below(8));
                }

                return bytes;
            case 2:
                if (bytes.Length > 0)
                {
                    bytes[rng.Below(bytes.Length)] = rng.Pick(new byte[] { 0, (byte)' ', (byte)'\n', (byte)'\\', (byte)'-', (byte)'=', 0x80, 0xc3, 0xff });
                }

                return bytes;
            default:
                {
                    int at = rng.Below(bytes.Length + 1);
                    byte[] extra = Encoding.UTF8.GetBytes(rng.Pick(Tokens));
                    byte[] result = new byte[bytes.Length + extra.Length];
                    bytes.AsSpan(0, at).CopyTo(result);
                    extra.CopyTo(result.AsSpan(at));
                    bytes.AsSpan(at).CopyTo(result.AsSpan(at + extra.Length));
                    return result;
                }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// A decoder family: where its seeds come from, how its inputs are mutated, which entry points it drives and
/// which exception those entry points document for malformed input. Anything else escaping is a failure.
/// </summary>
internal abstract class Family
{
    private readonly HashSet<string> _rejections = new(StringComparer.Ordinal);

    /// <summary>The name given to <c>--family</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The decoders this family drives, for the report.</summary>
    public abstract string Decoders { get; }

    /// <summary>The exception the decoders document for malformed input ("none" if they never throw).</summary>
    public abstract string DocumentedException { get; }

    /// <summary>How many seeds the mutator starts from.</summary>
    public abstract int SeedCount { get; }

    /// <summary>Inputs one of whose entry points rejected them with the documented exception.</summary>
    public long Rejected { get; private set; }

    /// <summary>Distinct documented rejections (messages with their numbers removed): a rough count of the distinct checks reached.</summary>
    public int DistinctRejections => _rejections.Count;

    private bool _rejectedThisInput;

    /// <summary>Unmutated starting inputs (the seeds), for the coverage-guided mode's corpus.</summary>
    public abstract IEnumerable<byte[]> SeedInputs();

    /// <summary>Builds input number N from its generator.</summary>
    public abstract byte[] NextInput(ref Rng rng);

    /// <summary>Runs every entry point over <paramref name="input"/>; lets any exception but the documented one escape.</summary>
    public void Run(byte[] input)
    {
        _rejectedThisInput = false;
        Decode(input);
        if (_rejectedThisInput)
        {
            Rejected++;
        }
    }

    protected abstract void Decode(byte[] input);

    /// <summary>Records a documented rejection (called from the family's catch blocks).</summary>
    protected void Rejection(Exception e)
    {
        _rejectedThisInput = true;
        if (_rejections.Count < 100_000)
        {
            _rejections.Add(e.GetType().Name + ": " + WithoutNumbers(e.Message));
        }
    }

    private static string WithoutNumbers(string message)
    {
        var sb = new StringBuilder(message.Length);
        bool inNumber = false;
        foreach (char c in message)
        {
            bool digit = c is >= '0' and <= '9';
            if (digit)
            {
                if (!inNumber)
                {
                    sb.Append('#');
                }
            }
            else if (!(c == '"' || inNumber && c is ',' or '.'))
            {
                sb.Append(c);
            }

            inNumber = digit;
        }

        // Paths and quoted text vary with the input: keep the shape only.
        string[] words = sb.ToString().Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i].Contains('/', StringComparison.Ordinal) || words[i].Contains('\\', StringComparison.Ordinal))
            {
                words[i] = "<path>";
            }
        }

        string s = string.Join(' ', words);
        return s.Length > 160 ? s.Substring(0, 160) : s;
    }

    /// <summary>Text families decode the bytes as the library reads the file (UTF-8, invalid sequences replaced).</summary>
    protected static string AsText(byte[] input) => Encoding.UTF8.GetString(input);
}

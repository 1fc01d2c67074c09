using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace LinuxIsolation.Fuzz;

/// <summary>Result of one family's run.</summary>
internal sealed record FamilyResult(string Family, long Inputs, TimeSpan Elapsed, long Rejected, int DistinctRejections, int Failures, int DistinctFailures);

/// <summary>
/// Runs inputs start..start+count-1 of a family: builds each from (seed, family, index), decodes it, and treats
/// any exception other than the documented one as a failure, saved as hex with the seed and index to replay it.
/// A watchdog saves the input and stops the process if one input runs for more than a minute (a hang).
/// </summary>
internal sealed class Runner
{
    private readonly string _crashDirectory;
    private readonly int _maxSaved;
    private long _progress;
    private byte[]? _current;

    public Runner(string crashDirectory, int maxSaved)
    {
        _crashDirectory = crashDirectory;
        _maxSaved = maxSaved;
    }

    public bool GenerateOnly { get; init; }

    public FamilyResult Run(Family family, ulong seed, long start, long count, long progressEvery)
    {
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        int failures = 0;
        using var stop = new CancellationTokenSource();
        var watchdog = new Thread(() => Watch(family, seed, stop.Token)) { IsBackground = true, Name = "fuzz watchdog" };
        watchdog.Start();
        var clock = Stopwatch.StartNew();
        for (long i = start; i < start + count; i++)
        {
            Rng rng = Rng.ForInput(seed, family.Name, i);
            byte[] input = family.NextInput(ref rng);
            _current = input;
            Volatile.Write(ref _progress, i);
            if (GenerateOnly)
            {
                continue;
            }

            try
            {
                family.Run(input);
            }
            catch (Exception e)
            {
                failures++;
                string key = Key(e);
                distinct[key] = distinct.GetValueOrDefault(key) + 1;
                if (distinct[key] == 1 && distinct.Count <= _maxSaved)
                {
                    string file = Save(family.Name, seed, i, input, e);
                    Console.WriteLine($"FAILURE {family.Name} input {i} (seed {seed}): {e.GetType().FullName}: {e.Message}");
                    Console.WriteLine($"  at {TopFrame(e)}");
                    Console.WriteLine($"  input saved to {file}; replay: --family {family.Name} --replay {file}");
                }
            }

            if (progressEvery > 0 && (i - start + 1) % progressEvery == 0)
            {
                Console.Error.WriteLine($"  {family.Name}: {i - start + 1:N0} inputs, {clock.Elapsed.TotalSeconds:F0} s, {failures} failures");
            }
        }

        clock.Stop();
        stop.Cancel();
        return new FamilyResult(family.Name, count, clock.Elapsed, family.Rejected, family.DistinctRejections, failures, distinct.Count);
    }

    /// <summary>Decodes one saved input and prints what it throws.</summary>
    public static int Replay(Family family, string file)
    {
        byte[] input = LinuxIsolation.TestShared.HexDatagramFile.Load(file).SelectMany(d => d).ToArray();
        try
        {
            family.Run(input);
            Console.WriteLine($"replay {file}: no failure ({input.Length} bytes; {family.Rejected} documented rejection(s))");
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"replay {file}: {e}");
            return 1;
        }
    }

    private static string Key(Exception e) => e.GetType().FullName + " at " + TopFrame(e);

    private static string TopFrame(Exception e)
    {
        string[] frames = (e.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? ours = frames.FirstOrDefault(f => f.Contains("LinuxIsolation.", StringComparison.Ordinal) && !f.Contains("LinuxIsolation.Fuzz", StringComparison.Ordinal));
        return (ours ?? frames.FirstOrDefault() ?? "?").Trim();
    }

    private string Save(string family, ulong seed, long index, byte[] input, Exception? e)
    {
        Directory.CreateDirectory(_crashDirectory);
        string file = Path.Combine(_crashDirectory, $"{family}-seed{seed}-input{index}.hex");
        using var w = new StreamWriter(file);
        w.WriteLine($"# family {family}, seed {seed}, input {index}, {input.Length} bytes");
        w.WriteLine($"# {(e is null ? "hang: no progress for 60 s" : e.GetType().FullName + ": " + e.Message.ReplaceLineEndings(" "))}");
        for (int o = 0; o < input.Length; o += 16)
        {
            w.WriteLine(string.Join(' ', input.Skip(o).Take(16).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))));
        }

        return file;
    }

    private void Watch(Family family, ulong seed, CancellationToken stop)
    {
        long last = -1;
        while (!stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
        {
            long now = Volatile.Read(ref _progress);
            if (now == last && _current is { } input)
            {
                string file = Save(family.Name, seed, now, input, null);
                Console.WriteLine($"FAILURE {family.Name} input {now} (seed {seed}): no progress for 60 s (a hang); input saved to {file}");
                Console.WriteLine("0 passed, 1 failed");
                Environment.Exit(2);
            }

            last = now;
        }
    }
}

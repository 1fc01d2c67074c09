using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;

namespace LinuxIsolation.Tests.Namespaces;

/// <summary>
/// Looks at every task of the process (<c>/proc/self/task/*/ns/net</c>) over and over on a thread of its own, and
/// records each one it finds in a network namespace other than <c>home</c> (tid and name), and the names of the
/// tasks that appeared meanwhile.
/// </summary>
internal sealed class ForeignNamespaceSampler : IDisposable
{
    private readonly string _home;
    private readonly Thread _thread;
    private readonly ConcurrentDictionary<string, bool> _before = new(StringComparer.Ordinal);
    private volatile bool _stop;

    public ForeignNamespaceSampler(string home)
    {
        _home = home;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            _before[Path.GetFileName(task)] = true;
        }

        _thread = new Thread(Loop) { IsBackground = true, Name = "ns-sampler" };
        _thread.Start();
    }

    /// <summary>Tasks seen outside home: tid to name.</summary>
    public ConcurrentDictionary<int, string> Seen { get; } = new();

    /// <summary>The names of tasks that were not there when sampling began.</summary>
    public ConcurrentBag<string> Started { get; } = [];

    /// <summary>How many times every task was looked at.</summary>
    public int Sweeps { get; private set; }

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose() => Stop();

    private void Loop()
    {
        var known = new ConcurrentDictionary<string, bool>(_before, StringComparer.Ordinal);
        while (!_stop)
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                string tid = Path.GetFileName(task);
                try
                {
                    if (known.TryAdd(tid, true))
                    {
                        Started.Add(File.ReadAllText(Path.Combine(task, "comm")).Trim());
                    }

                    string? link = new FileInfo(Path.Combine(task, "ns", "net")).LinkTarget;
                    if (!string.IsNullOrEmpty(link) && link != _home)
                    {
                        Seen[int.Parse(tid, System.Globalization.CultureInfo.InvariantCulture)] = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // the task ended meanwhile
                }
            }

            Sweeps++;
        }
    }
}

using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LinuxIsolation.Processes;

/// <summary>
/// A long-lived background thread that starts the processes asking for a parent-death signal. The kernel sends
/// PR_SET_PDEATHSIG when the thread that cloned the child exits, not the process: started from a thread-pool
/// thread (which the pool retires when idle) the child would be killed at a random moment. This thread lives as
/// long as the process, so the signal means what callers expect: "the caller's process died".
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<WorkItem> Queue = [];
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var t = new Thread(Run) { IsBackground = true, Name = "lxi-spawn" };
        t.Start();
        return t;
    });

    public static IsolatedProcess Start(Func<IsolatedProcess> start)
    {
        _ = Thread.Value;
        using var item = new WorkItem(start);
        Queue.Add(item);
        item.Done.Wait();
        item.Error?.Throw();
        return item.Result!;
    }

    private static void Run()
    {
        foreach (WorkItem item in Queue.GetConsumingEnumerable())
        {
            try
            {
                item.Result = item.Start();
            }
            catch (Exception e)
            {
                item.Error = ExceptionDispatchInfo.Capture(e);
            }

            item.Done.Set();
        }
    }

    private sealed class WorkItem(Func<IsolatedProcess> start) : IDisposable
    {
        public Func<IsolatedProcess> Start { get; } = start;

        public ManualResetEventSlim Done { get; } = new();

        public IsolatedProcess? Result { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }

        public void Dispose() => Done.Dispose();
    }
}

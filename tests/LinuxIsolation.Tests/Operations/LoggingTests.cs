using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LinuxIsolation.Cgroups;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Cgroups;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace LinuxIsolation.Tests.Operations;

/// <summary>
/// The optional logging of multi-step operations: what is logged at which level and category, and that with no
/// logger (the default) or a disabled level it allocates nothing.
/// </summary>
[Collection(FaultCollection.Name)]
public class LoggingTests(ITestOutputHelper output)
{
    [Fact]
    public void DefaultFactoryIsTheNullFactory()
    {
        Assert.Same(NullLoggerFactory.Instance, LinuxIsolationLogging.LoggerFactory);
        Assert.Throws<ArgumentNullException>(() => LinuxIsolationLogging.LoggerFactory = null!);
    }

    [Fact]
    public void StepsCompletionUndoAndUndoFailureAreLoggedAtTheirLevels()
    {
        using var t = new TestCgroup();
        var factory = new ListLoggerFactory();
        LinuxIsolationLogging.LoggerFactory = factory;
        try
        {
            var limits = new CgroupResources { Raw = new Dictionary<string, string> { ["cgroup.max.depth"] = "3" } };
            t.Group.CreateChild("logged", limits).Dispose();
            Assert.All(factory.Entries, e => Assert.Equal("LinuxIsolation.Cgroups", e.Category));
            Assert.Equal([1, 1, 1, 1, 2], factory.Entries.Select(e => e.EventId));
            Assert.Equal(4, factory.Entries.Count(e => e.Level == LogLevel.Debug));
            Entry completed = factory.Entries[^1];
            Assert.Equal(LogLevel.Information, completed.Level);
            Assert.Matches(@"^create cgroup .*/logged: completed 4 steps in [0-9.]+ ms$", completed.Message);
            Assert.Contains(completed.State, kv => kv.Key == "ElapsedMilliseconds" && kv.Value is double);
            t.Group.DeleteChild("logged");

            factory.Entries.Clear();
            Assert.Throws<LinuxSyscallException>(() => t.Group.CreateChild("undone", limits, new StepFault { FailAfterStep = 4 }));
            Entry warning = Assert.Single(factory.Entries, e => e.Level == LogLevel.Warning);
            Assert.Equal(4, warning.EventId);
            Assert.Equal("ECANCELED", Assert.IsType<LinuxSyscallException>(warning.Exception).ErrorName);
            Assert.Contains("step 4 write cgroup.max.depth failed; undone", warning.Message, StringComparison.Ordinal);

            factory.Entries.Clear();
            Assert.Throws<UndoFailedException>(() => t.Group.CreateChild("stuck", limits, new StepFault { FailAfterStep = 4, FailUndoOfStep = 1 }));
            Entry error = Assert.Single(factory.Entries, e => e.Level == LogLevel.Error);
            Assert.Equal(5, error.EventId);
            Assert.Contains("left behind: cgroup directory", error.Message, StringComparison.Ordinal);
            t.Group.DeleteChild("stuck");
        }
        finally
        {
            LinuxIsolationLogging.LoggerFactory = NullLoggerFactory.Instance;
        }
    }

    [Fact]
    public void SpawnLogsStartAndFailureUnderProcesses()
    {
        Privileged.Require();
        var factory = new ListLoggerFactory();
        LinuxIsolationLogging.LoggerFactory = factory;
        try
        {
            using (IsolatedProcess p = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/true")))
            {
                p.WaitForExit();
            }

            var info = new IsolatedProcessStartInfo("/bin/true") { FailAtStep = SpawnStep.SetSid };
            Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
            Assert.All(factory.Entries, e => Assert.Equal("LinuxIsolation.Processes", e.Category));
            Assert.Equal([(6, LogLevel.Debug), (7, LogLevel.Information), (6, LogLevel.Debug), (8, LogLevel.Warning)], factory.Entries.Select(e => (e.EventId, e.Level)));
        }
        finally
        {
            LinuxIsolationLogging.LoggerFactory = NullLoggerFactory.Instance;
        }
    }

    [Fact]
    public void DisabledLoggingAllocatesNothing()
    {
        var exception = new InvalidOperationException("x");
        ILogger[] loggers = [NullLogger.Instance, new ListLoggerFactory { Minimum = LogLevel.None }.CreateLogger("off")];
        foreach (ILogger logger in loggers)
        {
            LogAll(logger, exception); // JIT and static initialisation first
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                LogAll(logger, exception);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void AnOperationAllocatesTheSameWithLoggingOffAsWithNoLogger()
    {
        // The runner's own cost (its undo list and the closures of the steps) with no logger, and with a logger
        // present but every level disabled: logging adds nothing.
        long none = MeasureOperation(NullLogger.Instance, out double nanoseconds);
        long off = MeasureOperation(new ListLoggerFactory { Minimum = LogLevel.None }.CreateLogger("off"), out _);
        output.WriteLine($"3-step operation with logging off: {none} bytes allocated, {nanoseconds:0} ns");
        Assert.Equal(none, off);
    }

    private static void LogAll(ILogger logger, Exception exception)
    {
        OperationLog.StepStarted(logger, "op", "subject", 1, "step");
        OperationLog.StepUndone(logger, "op", "subject", "what");
        OperationLog.Undone(logger, exception, "op", "subject", 1, "step");
        OperationLog.UndoFailed(logger, exception, "op", "subject", 1, "step", "left");
        OperationLog.SpawnStarting(logger, "/bin/true", 0x20000, 3);
        OperationLog.SpawnCompleted(logger, "/bin/true", 42, 1.5);
        OperationLog.SpawnUndone(logger, exception, "/bin/true", SpawnStep.Mount);
        if (logger.IsEnabled(LogLevel.Information))
        {
            OperationLog.Completed(logger, "op", "subject", 3, 1.5);
        }
    }

    private static long MeasureOperation(ILogger logger, out double nanoseconds)
    {
        int counter = 0;
        void Run()
        {
            var op = new MultiStepOperation(logger, "measure", "subject");
            op.Step("one", () => counter++);
            op.OnUndo("one", "nothing", () => counter--);
            op.Step("two", () => counter++);
            op.Step("three", () => counter++);
            op.Complete();
        }

        Run();
        const int N = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < N; i++)
        {
            Run();
        }

        nanoseconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / N;
        return (GC.GetAllocatedBytesForCurrentThread() - before) / N;
    }

    private sealed record Entry(string Category, LogLevel Level, int EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State);

    /// <summary>Records every entry (a logging implementation is not a dependency of the library or these tests).</summary>
    private sealed class ListLoggerFactory : ILoggerFactory
    {
        public List<Entry> Entries { get; } = [];

        public LogLevel Minimum { get; init; } = LogLevel.Trace;

        public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class ListLogger(ListLoggerFactory factory, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= factory.Minimum;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var kv = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
                lock (factory.Entries)
                {
                    factory.Entries.Add(new Entry(category, logLevel, eventId.Id, formatter(state, exception), exception, kv.ToArray()));
                }
            }
        }
    }
}

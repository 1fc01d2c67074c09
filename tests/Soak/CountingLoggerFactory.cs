using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Soak;

/// <summary>
/// A logger factory that counts what the library logs at Information and above (Debug and Trace are off, as in a
/// service's usual configuration), so the soak runs with logging enabled and checks that nothing warned or failed.
/// </summary>
internal sealed class CountingLoggerFactory : ILoggerFactory
{
    private long _information;
    private long _warnings;
    private long _errors;

    public long Information => Interlocked.Read(ref _information);

    public long Warnings => Interlocked.Read(ref _warnings);

    public long Errors => Interlocked.Read(ref _errors);

    public ILogger CreateLogger(string categoryName) => new Counter(this);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Counter(CountingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            switch (logLevel)
            {
                case LogLevel.Information:
                    Interlocked.Increment(ref owner._information);
                    break;
                case LogLevel.Warning:
                    Interlocked.Increment(ref owner._warnings);
                    Console.WriteLine($"  warning logged: {formatter(state, exception)}");
                    break;
                case >= LogLevel.Error when logLevel != LogLevel.None:
                    Interlocked.Increment(ref owner._errors);
                    Console.WriteLine($"  error logged: {formatter(state, exception)}");
                    break;
            }
        }
    }
}

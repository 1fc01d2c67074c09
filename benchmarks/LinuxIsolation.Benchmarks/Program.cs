using System;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace LinuxIsolation.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter '*'</c> runs every benchmark.</summary>
public static class Program
{
    /// <summary>Hands the command line to BenchmarkDotNet's switcher.</summary>
    public static void Main(string[] args)
    {
        // BenchmarkDotNet builds a boilerplate project per job and gives up after 2 minutes by default,
        // which a busy 2-core CI machine exceeds.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}

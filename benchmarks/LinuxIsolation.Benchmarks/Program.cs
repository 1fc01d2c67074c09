using BenchmarkDotNet.Running;

namespace LinuxIsolation.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter '*'</c> runs every benchmark.</summary>
public static class Program
{
    /// <summary>Hands the command line to BenchmarkDotNet's switcher.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

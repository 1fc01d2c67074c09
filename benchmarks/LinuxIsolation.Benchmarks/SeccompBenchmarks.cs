using BenchmarkDotNet.Attributes;
using LinuxIsolation.Seccomp;

namespace LinuxIsolation.Benchmarks;

/// <summary>
/// Compiling Docker's default seccomp profile (SeccompProfiles.DockerDefault: about 370 calls allowed on three
/// x86 ABIs, conditions on personality, clone and socket) to classic BPF, as a start does for a new filter; and
/// what a start pays for a filter already compiled (the cache check over its rules). Goal of issue 17: under 1 ms.
/// </summary>
[MemoryDiagnoser]
public class SeccompBenchmarks
{
    private SeccompFilter _docker = null!;

    /// <summary>A private copy of the profile, so the shared instance's cache is not involved.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _docker = SeccompProfiles.DockerDefault.Clone();
        _docker.GetProgram();
    }

    /// <summary>The whole compile: validation, call numbers per ABI, intervals, the search tree, the instructions.</summary>
    [Benchmark]
    public int CompileDockerDefault() => _docker.Compile().InstructionCount;

    /// <summary>A start with a filter compiled before: the check that it did not change.</summary>
    [Benchmark]
    public int CachedDockerDefault() => _docker.GetProgram().InstructionCount;
}

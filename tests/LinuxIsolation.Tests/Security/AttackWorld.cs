using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Cgroups;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Processes;

namespace LinuxIsolation.Tests.Security;

/// <summary>
/// A container as an attacker gets it: a busybox root with the attack tool (lxi-attack.c, built static once per
/// test run) at /bin/lxi-attack, a cgroup of the test's own, and <see cref="IsolatedProcessStartInfo.AddUntrustedDefaults"/>.
/// </summary>
internal sealed partial class AttackWorld : IDisposable
{
    private static readonly Lazy<string> s_tool = new(BuildTool, LazyThreadSafetyMode.ExecutionAndPublication);

    public AttackWorld()
    {
        Privileged.Require();
        Root = new TestRootFs();
        try
        {
            string tool = Path.Combine(Root.Path, "bin", "lxi-attack");
            // A hard link, not a copy (see TestRootFs: a copy being written when another test forks gives ETXTBSY).
            if (link(s_tool.Value, tool) != 0)
            {
                File.Copy(s_tool.Value, tool);
            }

            Cgroup = new TestCgroup();
        }
        catch
        {
            Root.Dispose();
            throw;
        }
    }

    public TestRootFs Root { get; }

    public TestCgroup Cgroup { get; }

    /// <summary>A payload in the untrusted defaults, as root inside, in the world's cgroup.</summary>
    public IsolatedProcessStartInfo Untrusted(string program, params string[] arguments)
    {
        var info = new IsolatedProcessStartInfo(program, arguments) { RootDirectory = Root.Path, CgroupPath = Cgroup.Group.Path };
        info.Environment.Clear();
        info.Environment["PATH"] = "/bin";
        info.AddUntrustedDefaults();
        return info;
    }

    /// <summary>Runs <c>lxi-attack COMMAND ARGS</c> in <paramref name="info"/> and returns its line.</summary>
    public static async Task<string> AttackAsync(IsolatedProcessStartInfo info)
    {
        (ProcessExitStatus status, string output, string error) = await Spawn.RunAsync(info);
        if (status.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"lxi-attack ended with {status}: {output} {error}");
        }

        return output.Trim();
    }

    public void Dispose()
    {
        try
        {
            Cgroup.Dispose();
        }
        finally
        {
            Root.Dispose();
        }
    }

    private static string BuildTool()
    {
        string source = Path.Combine(NativeLibraryTests.RepositoryRoot(), "tests", "LinuxIsolation.Tests", "Security", "lxi-attack.c");
        string output = Path.Combine(AppContext.BaseDirectory, $"lxi-attack-{Environment.ProcessId}");
        NsTool.Run("gcc", "-static", "-O2", "-Wall", "-Werror", "-o", output, source);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(output);
        return output;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int link(string oldPath, string newPath);
}

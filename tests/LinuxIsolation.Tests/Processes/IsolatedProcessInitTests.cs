using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class IsolatedProcessInitTests
{
    [Fact]
    public async Task UnderTheInitTheProgramIsPid2AndItsExitCodePropagates()
    {
        Privileged.Require();
        var info = Spawn.Sh("echo $$; cat /proc/1/cmdline | tr '\\0' ' '; exit 5");
        info.NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount;
        info.Mounts.Add(IsolatedMount.Proc());
        info.UseInit = true;
        (ProcessExitStatus status, string output, string error) = await Spawn.RunAsync(info);
        Assert.True(status.ExitCode == 5, $"{status}: {error}");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2", lines[0]);
    }

    [Fact]
    public async Task InitForwardsSigtermToTheProgram()
    {
        Privileged.Require();
        var info = Spawn.Sh("trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.05; done");
        info.NewNamespaces = NamespaceFlags.Pid;
        info.UseInit = true;
        info.StandardOutput = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        using var reader = new StreamReader(p.StandardOutput!);
        Assert.Equal("ready", await reader.ReadLineAsync().WaitAsync(Spawn.Timeout));
        p.Kill(15);
        Assert.Equal("got-term", await reader.ReadLineAsync().WaitAsync(Spawn.Timeout));
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(42, status.ExitCode);
    }

    [Fact]
    public async Task InitReportsASignalledProgramAs128PlusSignal()
    {
        Privileged.Require();
        var info = Spawn.Sh("kill -KILL $$");
        info.NewNamespaces = NamespaceFlags.Pid;
        info.UseInit = true;
        Assert.Equal(137, (await Spawn.RunAsync(info)).Status.ExitCode);
    }

    [Fact]
    public async Task InitReapsOrphanedZombies()
    {
        Privileged.Require();
        // The subshell exits at once, so its background child is reparented to PID 1 (the init) and, when it
        // ends, must be reaped by it. A zombie shows as state Z in /proc/PID/stat.
        var info = Spawn.Sh("(sleep 0.1 &); sleep 0.8; cat /proc/[0-9]*/stat 2>/dev/null | cut -d' ' -f3 | sort | uniq -c");
        info.NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Mount;
        info.Mounts.Add(IsolatedMount.Proc());
        info.UseInit = true;
        string output = await Spawn.OutputAsync(info);
        Assert.DoesNotContain(" Z", output, StringComparison.Ordinal);
        Assert.Contains(" S", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitWithoutPidNamespaceIsASubreaper()
    {
        Privileged.Require();
        var info = Spawn.Sh("echo ok; exit 3");
        info.UseInit = true;
        (ProcessExitStatus status, string output, _) = await Spawn.RunAsync(info);
        Assert.Equal(3, status.ExitCode);
        Assert.Equal("ok\n", output);
    }

    [Fact]
    public void InitReportsAMissingProgram()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("/nonexistent/lxi") { NewNamespaces = NamespaceFlags.Pid, UseInit = true };
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info));
        Assert.Equal(SpawnStep.ResolveProgram, e.Step);
        Assert.Equal("ENOENT", e.ErrorName);
        Assert.Equal("/nonexistent/lxi", e.Path);
    }
}

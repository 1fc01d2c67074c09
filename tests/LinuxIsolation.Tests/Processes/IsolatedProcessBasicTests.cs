using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class IsolatedProcessBasicTests
{
    [Fact]
    public async Task ExitCodePropagates()
    {
        Privileged.Require();
        (ProcessExitStatus status, string output, _) = await Spawn.RunAsync(Spawn.Sh("echo hello; exit 7"));
        Assert.Equal(7, status.ExitCode);
        Assert.Null(status.Signal);
        Assert.Equal("hello\n", output);
    }

    [Fact]
    public async Task TerminatingSignalPropagates()
    {
        Privileged.Require();
        (ProcessExitStatus status, _, _) = await Spawn.RunAsync(Spawn.Sh("kill -TERM $$"));
        Assert.Null(status.ExitCode);
        Assert.Equal(15, status.Signal);
        Assert.Equal(143, status.ShellStatus);
    }

    [Fact]
    public async Task StdioPipesCarryInputOutputAndErrorSeparately()
    {
        Privileged.Require();
        var info = Spawn.Sh("read line; echo \"out:$line\"; echo \"err:$line\" >&2");
        info.StandardInput = ProcessStdio.Pipe;
        info.StandardOutput = ProcessStdio.Pipe;
        info.StandardError = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        await p.StandardInput!.WriteAsync(Encoding.ASCII.GetBytes("ping\n"));
        await p.StandardInput.DisposeAsync();
        string output = await new StreamReader(p.StandardOutput!).ReadToEndAsync();
        string error = await new StreamReader(p.StandardError!).ReadToEndAsync();
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal("out:ping\n", output);
        Assert.Equal("err:ping\n", error);
    }

    [Fact]
    public async Task StdioFileAndNull()
    {
        Privileged.Require();
        string file = Path.Combine(Path.GetTempPath(), $"lxi-spawn-out-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var info = Spawn.Sh("echo to-file; cat");
            info.StandardInput = ProcessStdio.Null;
            info.StandardOutput = ProcessStdio.File(file);
            using IsolatedProcess p = IsolatedProcess.Start(info);
            Assert.Equal(0, (await p.WaitForExitAsync().WaitAsync(Spawn.Timeout)).ExitCode);
            Assert.Equal("to-file\n", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EnvironmentIsExactlyTheOneGiven()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("/usr/bin/env");
        info.Environment.Clear();
        info.Environment["FOO"] = "bar baz";
        info.Environment["LXI"] = "1";
        Assert.Equal("FOO=bar baz\nLXI=1\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task BareProgramNameIsSearchedInPath()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("echo", "found");
        info.Environment.Clear();
        info.Environment["PATH"] = "/nonexistent:/usr/bin:/bin";
        Assert.Equal("found\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task KillGoesThroughThePidfd()
    {
        Privileged.Require();
        using IsolatedProcess p = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "100"));
        Assert.False(p.HasExited);
        Assert.True(File.Exists($"/proc/{p.Id}/status"));
        p.Kill(9);
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(9, status.Signal);
        Assert.True(p.HasExited);
        p.Kill(); // after exit: nothing to do, no exception
        Assert.False(Directory.Exists($"/proc/{p.Id}")); // reaped, not a zombie
    }

    [Fact]
    public async Task WaitForExitAsyncHonoursCancellation()
    {
        Privileged.Require();
        using IsolatedProcess p = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "100"));
        using var cts = new CancellationTokenSource();
        Task<ProcessExitStatus> wait = p.WaitForExitAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.False(p.HasExited);
        p.Kill(15);
        Assert.Equal(15, (await p.WaitForExitAsync().WaitAsync(Spawn.Timeout)).Signal);
    }

    [Fact]
    public void ExitStatusBeforeExitThrows()
    {
        Privileged.Require();
        using IsolatedProcess p = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "100"));
        Assert.Throws<InvalidOperationException>(() => p.ExitStatus);
        p.Kill();
        Assert.Equal(9, p.WaitForExit().Signal);
        Assert.Equal(9, p.ExitStatus.Signal);
    }

    [Fact]
    public async Task CloneFallbackStartsTheSameWay()
    {
        Privileged.Require();
        var info = Spawn.Sh("echo $$; hostname");
        info.NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Uts;
        info.HostName = "fallback";
        info.ForceCloneFallback = true;
        info.StandardOutput = ProcessStdio.Pipe;
        using IsolatedProcess p = IsolatedProcess.Start(info);
        Assert.False(p.UsedClone3);
        string output = await new StreamReader(p.StandardOutput!).ReadToEndAsync();
        Assert.Equal(0, (await p.WaitForExitAsync().WaitAsync(Spawn.Timeout)).ExitCode);
        Assert.Equal("1\nfallback\n", output);
    }

    [Fact]
    public async Task DisposingARunningProcessStillReapsItWhenItExits()
    {
        Privileged.Require();
        var info = new IsolatedProcessStartInfo("/bin/sleep", "0.3");
        IsolatedProcess p = IsolatedProcess.Start(info);
        int pid = p.Id;
        p.Dispose();
        Assert.Throws<ObjectDisposedException>(() => p.Kill());
        // Still watched after Dispose: the exit is observed and the zombie reaped.
        ProcessExitStatus status = await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        Assert.Equal(0, status.ExitCode);
        Assert.False(Directory.Exists($"/proc/{pid}") && File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManyThreadsStartProcessesAtOnce()
    {
        Privileged.Require();
        // lxi_spawn is called from many threads at once; each child must get its own pipes and namespaces.
        Task<string>[] runs = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            var info = Spawn.Sh($"echo {i} $$ $(hostname)");
            info.NewNamespaces = NamespaceFlags.Pid | NamespaceFlags.Uts;
            info.HostName = $"h{i}";
            return await Spawn.OutputAsync(info);
        })).ToArray();
        string[] outputs = await Task.WhenAll(runs).WaitAsync(Spawn.Timeout);
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.Equal($"{i} 1 h{i}\n", outputs[i]);
        }
    }

    [Fact]
    public void NonexistentProgramReportsResolveProgramAndErrno()
    {
        Privileged.Require();
        var e = Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(new IsolatedProcessStartInfo("/nonexistent/lxi-program")));
        Assert.Equal(SpawnStep.ResolveProgram, e.Step);
        Assert.Equal(2, e.Errno);
        Assert.Equal("ENOENT", e.ErrorName);
        Assert.StartsWith("openat2(\"/nonexistent/lxi-program\"): No such file or directory (ENOENT)", e.Message, StringComparison.Ordinal);
    }
}

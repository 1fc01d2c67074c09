using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Processes;

public class IsolatedProcessHardeningTests
{
    [Fact]
    public async Task OnlyTheKeptCapabilitiesRemainInEverySet()
    {
        Privileged.Require();
        var info = Spawn.Sh("grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status");
        info.KeepCapabilities = [Capability.NetBindService, Capability.Kill];
        string expected = ((1UL << 10) | (1UL << 5)).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            $"CapInh:\t{expected}\nCapPrm:\t{expected}\nCapEff:\t{expected}\nCapBnd:\t{expected}\nCapAmb:\t{expected}\n",
            await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task NonRootUidKeepsOnlyTheKeptCapabilities()
    {
        Privileged.Require();
        var info = Spawn.Sh("id -u; id -g; id -G; grep -E '^Cap(Eff|Bnd):' /proc/self/status");
        info.UserId = 1234;
        info.GroupId = 2345;
        info.SupplementaryGroups.Add(3456);
        info.KeepCapabilities = [Capability.NetBindService];
        Assert.Equal("1234\n2345\n2345 3456\nCapEff:\t0000000000000400\nCapBnd:\t0000000000000400\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task DroppingEveryCapability()
    {
        Privileged.Require();
        var info = Spawn.Sh("grep -E '^CapEff:' /proc/self/status; cat /proc/1/environ >/dev/null 2>&1 || echo denied");
        info.KeepCapabilities = [];
        info.UserId = 0;
        Assert.Equal("CapEff:\t0000000000000000\ndenied\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task NoNewPrivilegesIsSet()
    {
        Privileged.Require();
        var info = Spawn.Sh("grep NoNewPrivs /proc/self/status");
        info.NoNewPrivileges = true;
        Assert.Equal("NoNewPrivs:\t1\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task ResourceLimitsApply()
    {
        Privileged.Require();
        var info = Spawn.Sh("ulimit -n; ulimit -Hn; ulimit -c");
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.OpenFiles, 123, 456));
        info.ResourceLimits.Add(new ResourceLimit(ResourceLimitKind.Core, 0, 0));
        Assert.Equal("123\n456\n0\n", await Spawn.OutputAsync(info));
    }

    [Fact]
    public async Task ParentDeathSignalDoesNotFireWhenTheStartingThreadEnds()
    {
        Privileged.Require();
        // The kernel sends PR_SET_PDEATHSIG when the cloning thread exits; the library clones such processes from
        // its own long-lived thread, so a short-lived caller thread ending must not kill the process.
        IsolatedProcess? p = null;
        var thread = new System.Threading.Thread(() => p = IsolatedProcess.Start(new IsolatedProcessStartInfo("/bin/sleep", "100") { ParentDeathSignal = 9 }));
        thread.Start();
        thread.Join();
        using (p)
        {
            Task<ProcessExitStatus> exit = p!.WaitForExitAsync();
            Assert.NotSame(exit, await Task.WhenAny(exit, Task.Delay(500)));
            Assert.False(p.HasExited);
            p.Kill(15);
            Assert.Equal(15, (await exit.WaitAsync(Spawn.Timeout)).Signal);
        }
    }

    [Fact]
    public async Task OnlyStdioAndPassedDescriptorsReachTheChild()
    {
        Privileged.Require();
        // A descriptor opened without O_CLOEXEC would leak into a plain fork/exec child.
        int leaky = Interop.open("/dev/null", Interop.O_RDONLY, 0);
        Assert.True(leaky >= 0);
        try
        {
            using var passed = File.OpenHandle("/dev/zero");
            var info = new IsolatedProcessStartInfo("/bin/ls", "-l", "/proc/self/fd");
            info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(passed, 7));
            string output = await Spawn.OutputAsync(info);
            // "lrwx------ 1 root root 64 ... 7 -> /dev/zero"; ls's own directory descriptor is left out.
            string[] fds = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.Contains(" -> ", StringComparison.Ordinal) && !System.Text.RegularExpressions.Regex.IsMatch(l, @" -> /proc/\d+/fd$"))
                .Select(l => l[..l.IndexOf(" -> ", StringComparison.Ordinal)].Split(' ')[^1] + "=" + l[(l.IndexOf(" -> ", StringComparison.Ordinal) + 4)..])
                .ToArray();
            Assert.Equal(4, fds.Length);
            Assert.Equal(["0", "1", "2", "7"], fds.Select(f => f.Split('=')[0]).OrderBy(int.Parse));
            Assert.Contains("7=/dev/zero", fds);
        }
        finally
        {
            Interop.close(leaky);
        }
    }

    [Fact]
    public async Task PassedDescriptorsMayTakeEachOthersNumbers()
    {
        Privileged.Require();
        using var a = File.OpenHandle("/dev/null");
        using var b = File.OpenHandle("/dev/zero");
        int fdA = (int)a.DangerousGetHandle();
        int fdB = (int)b.DangerousGetHandle();
        // a goes to b's number and b to a's: the copies are made before any target is overwritten.
        var info = new IsolatedProcessStartInfo("/bin/sh", "-c", $"readlink /proc/$$/fd/{fdB} /proc/$$/fd/{fdA}");
        info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(a, fdB));
        info.InheritedFileDescriptors.Add(new InheritedFileDescriptor(b, fdA));
        Assert.Equal("/dev/null\n/dev/zero\n", await Spawn.OutputAsync(info));
    }
}

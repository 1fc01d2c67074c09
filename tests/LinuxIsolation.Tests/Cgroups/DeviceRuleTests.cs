using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LinuxIsolation.Cgroups.Devices;
using LinuxIsolation.Processes;
using LinuxIsolation.Tests.Operations;
using LinuxIsolation.Tests.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Cgroups;

// FailedStartDetachesItsDeviceProgramAndKeepsTheOldOne compares this process's descriptors and mount table before and
// after: nothing may run beside it (a test creating a named namespace in parallel changes the mount table).
[Collection(FaultCollection.Name)]
public class DeviceRuleTests
{
    [Theory]
    [InlineData("c 1:3 rwm", true, DeviceType.Character, 1u, 3u, DeviceAccess.All)]
    [InlineData("b *:* m", false, DeviceType.Block, null, null, DeviceAccess.Mknod)]
    [InlineData("c 136:* rw", true, DeviceType.Character, 136u, null, DeviceAccess.Read | DeviceAccess.Write)]
    [InlineData("a *:* r", true, DeviceType.All, null, null, DeviceAccess.Read)]
    public void ParsesCgroupV1Lines(string line, bool allow, DeviceType type, uint? major, uint? minor, DeviceAccess access)
    {
        DeviceRule rule = DeviceRule.Parse(allow, line);
        Assert.Equal(new DeviceRule(allow, type, major, minor, access), rule);
        Assert.Equal((allow ? "allow " : "deny ") + line, rule.ToString());
    }

    [Theory]
    [InlineData("x", 1L, 3L, "rwm", "type")]
    [InlineData("c", 1L, 3L, "rwx", "access")]
    [InlineData("c", 1L, 3L, "rr", "access")]
    [InlineData("c", 1L, 3L, "", "access")]
    [InlineData("c", -2L, 3L, "r", "major")]
    [InlineData("c", 1L, 5000000000L, "r", "minor")]
    public void BadOciFieldsAreRefusedWithTheField(string type, long major, long minor, string access, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => DeviceRule.FromOci(true, type, major, minor, access));
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void OciWildcardsAndDefaults()
    {
        Assert.Equal(new DeviceRule(false, DeviceType.All, null, null, DeviceAccess.All), DeviceRule.FromOci(false, null, null, null, null));
        Assert.Equal(new DeviceRule(true, DeviceType.Character, null, 7, DeviceAccess.Read), DeviceRule.FromOci(true, "u", -1, 7, "r"));
    }

    [Fact]
    public void RulesNeedACgroupAndValidNumbers()
    {
        var info = new IsolatedProcessStartInfo("/bin/true") { DeviceRules = [.. DeviceRules.ContainerDefaults] };
        var e = Assert.Throws<ArgumentException>(info.Validate);
        Assert.Equal("DeviceRules", e.ParamName);

        using var cgroup = new TestCgroup();
        info.CgroupPath = cgroup.Group.Path;
        info.DeviceRules.Add(new DeviceRule(true, DeviceType.Character, 5000, 0, DeviceAccess.Read));
        e = Assert.Throws<ArgumentException>(info.Validate);
        Assert.Contains("at most 4095", e.Message, StringComparison.Ordinal);
        info.DeviceRules[^1] = new DeviceRule(true, DeviceType.All, 1, null, DeviceAccess.Read);
        Assert.Throws<ArgumentException>(info.Validate);
    }

    [Fact]
    public void ProgramHasOneBlockPerRuleLastFirst()
    {
        byte[] program = DeviceFilterProgram.Compile([DeviceRule.AllowCharacter(1, 3), new DeviceRule(false, DeviceType.Block, 8, null, DeviceAccess.Write)]);
        // 6 loads, the deny block (type, access test of 3, major, ret, exit = 7), the allow block (type, major, minor,
        // ret, exit = 5), the closing refusal (2).
        Assert.Equal((6 + 7 + 5 + 2) * 8, program.Length);
        // The last rule is tested first: its type check (JNE r2, 1 = block) comes right after the loads.
        Assert.Equal(new byte[] { 0x55, 0x02, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00 }, program.AsSpan(6 * 8, 8).ToArray());
        // Program ends with r0 = 0; exit.
        Assert.Equal(new byte[] { 0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0 }, program.AsSpan(program.Length - 16).ToArray());
    }

    /// <summary>The kernel enforces the rules: each access is tried from inside the cgroup with the host's busybox.</summary>
    [Fact]
    public async Task SetDeviceRulesIsEnforcedAndReplacesTheOldProgram()
    {
        using var cgroup = new TestCgroup();
        cgroup.Group.SetDeviceRules([DeviceRule.AllowCharacter(1, 3, DeviceAccess.Read | DeviceAccess.Write), new DeviceRule(false, DeviceType.Character, 1, 3, DeviceAccess.Write)]);
        Assert.Single(cgroup.Group.GetDeviceProgramIds());
        Assert.Equal("r ok\nw no\nzero no\n", await InCgroup(cgroup, "head -c0 /dev/null && echo r ok || echo r no; (echo x > /dev/null) 2>/dev/null && echo w ok || echo w no; head -c1 /dev/zero >/dev/null 2>&1 && echo zero ok || echo zero no"));

        // Replaced: one program, the new rules.
        uint old = cgroup.Group.GetDeviceProgramIds()[0];
        cgroup.Group.SetDeviceRules([.. DeviceRules.ContainerDefaults]);
        uint now = Assert.Single(cgroup.Group.GetDeviceProgramIds());
        Assert.NotEqual(old, now);
        Assert.Equal("w ok\nzero ok\nsda no\n", await InCgroup(cgroup, "(echo x > /dev/null) && echo w ok; head -c1 /dev/zero >/dev/null && echo zero ok; mknod /tmp/lxi-dev-$$ b 8 0 2>/dev/null && echo sda made || echo sda no"));

        cgroup.Group.ClearDeviceRules();
        Assert.Empty(cgroup.Group.GetDeviceProgramIds());
    }

    [Fact]
    public void FailedStartDetachesItsDeviceProgramAndKeepsTheOldOne()
    {
        using var cgroup = new TestCgroup();
        cgroup.Group.SetDeviceRules([DeviceRule.AllowCharacter(1, 3)]);
        uint old = Assert.Single(cgroup.Group.GetDeviceProgramIds());
        IsolatedProcessStartInfo info = Spawn.Sh("true");
        info.CgroupPath = cgroup.Group.Path;
        info.DeviceRules = [.. DeviceRules.ContainerDefaults];
        info.FailAtStep = SpawnStep.Execute;
        ProcessState before = ProcessState.Capture();
        Assert.Throws<IsolatedProcessException>(() => IsolatedProcess.Start(info).Dispose());
        Assert.Equal(old, Assert.Single(cgroup.Group.GetDeviceProgramIds()));
        ProcessState.Capture().AssertUnchangedSince(before);
    }

    [Fact]
    public async Task StartReplacesTheCgroupsDeviceProgramsSoTheyDoNotPileUp()
    {
        using var cgroup = new TestCgroup();
        for (int i = 0; i < 70; i++)
        {
            IsolatedProcessStartInfo info = Spawn.Sh("true");
            info.CgroupPath = cgroup.Group.Path;
            info.DeviceRules = [.. DeviceRules.ContainerDefaults];
            using IsolatedProcess p = IsolatedProcess.Start(info);
            await p.WaitForExitAsync().WaitAsync(Spawn.Timeout);
        }

        Assert.Single(cgroup.Group.GetDeviceProgramIds());
    }

    private static Task<string> InCgroup(TestCgroup cgroup, string script)
    {
        IsolatedProcessStartInfo info = Spawn.Sh(script);
        info.CgroupPath = cgroup.Group.Path;
        return Spawn.OutputAsync(info);
    }
}

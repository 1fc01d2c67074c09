using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using LinuxIsolation.Netlink.Nftables;
using LinuxIsolation.Ownership;
using Xunit;

namespace LinuxIsolation.Tests.Ownership;

/// <summary>Owner tags: format, parsing, validation, and the dead-or-alive rule. No privileges needed.</summary>
public class ResourceOwnerTests
{
    [Fact]
    public void TagHasTheDocumentedFormatAndParsesBack()
    {
        var owner = new ResourceOwner("myorch", 4242, 987654321, 4026531836);
        Assert.Equal("lxi-owner name=myorch pid=4242 start=987654321 pidns=4026531836", owner.Tag);
        Assert.Equal(owner.Tag, owner.ToString());
        ResourceOwner back = ResourceOwner.Parse(owner.Tag);
        Assert.Equal(owner, back);
        Assert.Equal("myorch", back.Name);
        Assert.Equal(4242, back.ProcessId);
        Assert.Equal(987654321UL, back.StartTime);
        Assert.Equal(4026531836UL, back.PidNamespace);
    }

    [Fact]
    public void LongestTagFitsAnNftCommentAndALinkAlias()
    {
        var owner = new ResourceOwner(new string('a', ResourceOwner.MaxNameLength), int.MaxValue, ulong.MaxValue, ulong.MaxValue);
        Assert.True(owner.Tag.Length <= NftTableComment.MaxLength, owner.Tag);
        Assert.Equal(116, owner.Tag.Length);
        Assert.Equal(owner, ResourceOwner.Parse(owner.Tag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lxi-owner")]
    [InlineData("lxi-owner name=myorch pid=1 start=2")]
    [InlineData("lxi-owner name=myorch pid=1 start=2 pidns=3 extra=4")]
    [InlineData("lxi-owner  name=myorch pid=1 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=1 start=2 pidns=3 ")]
    [InlineData("lxi-owner pid=1 name=myorch start=2 pidns=3")]
    [InlineData("lxi-owner name=MyOrch pid=1 start=2 pidns=3")]
    [InlineData("lxi-owner name= pid=1 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=0 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=01 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=+1 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=-1 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=2147483648 start=2 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=1 start=18446744073709551616 pidns=3")]
    [InlineData("lxi-owner name=myorch pid=1 start=2 pidns=3x")]
    [InlineData("LXI-OWNER name=myorch pid=1 start=2 pidns=3")]
    [InlineData("web frontend uplink")]
    public void TryParseRefusesWhatIsNotExactlyATag(string? text)
    {
        Assert.False(ResourceOwner.TryParse(text, out ResourceOwner? owner));
        Assert.Null(owner);
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => ResourceOwner.Parse(text));
        }
    }

    [Theory]
    [InlineData("a")]
    [InlineData("myorch")]
    [InlineData("ci-42")]
    [InlineData("0abc9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void ValidNames(string name)
    {
        Assert.True(ResourceOwner.IsValidName(name));
        ResourceOwner.ValidateName(name);
    }

    [Theory]
    [InlineData("", "1 to 32")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "1 to 32")]
    [InlineData("MyOrch", "'M'")]
    [InlineData("my orch", "' '")]
    [InlineData("my_orch", "'_'")]
    [InlineData("my/orch", "'/'")]
    [InlineData("my=orch", "'='")]
    [InlineData("-orch", "start and end")]
    [InlineData("orch-", "start and end")]
    public void InvalidNamesAreRefusedNamingTheRule(string name, string rule)
    {
        Assert.False(ResourceOwner.IsValidName(name));
        var e = Assert.Throws<ArgumentException>(() => ResourceOwner.ValidateName(name));
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
        Assert.Equal("name", e.ParamName);
        Assert.Throws<ArgumentException>(() => ResourceOwner.Current(name));
    }

    [Fact]
    public void CurrentIsThisProcessAsProcSeesIt()
    {
        ResourceOwner owner = ResourceOwner.Current("unit-test");
        Assert.Equal(Environment.ProcessId, owner.ProcessId);

        // Field 22 of /proc/PID/stat (start time), read independently of the library.
        Assert.Equal(ulong.Parse(LinuxIsolation.TestShared.ProcStat.Field(Environment.ProcessId, 22), CultureInfo.InvariantCulture), owner.StartTime);
        string pidns = new FileInfo("/proc/self/ns/pid").LinkTarget!;
        Assert.Equal($"pid:[{owner.PidNamespace}]", pidns);

        Assert.Equal(OwnerState.Alive, owner.GetState(out string reason));
        Assert.Contains("is running", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StatParsingCountsFieldsAfterTheLastParenthesis()
    {
        // A command name may hold spaces and parentheses: "a) (b c".
        string stat = "123 (a) (b c) S 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 5555 1000 100 18446744073709551615";
        ProcessSnapshot? snapshot = ProcessSnapshot.Parse(stat);
        Assert.NotNull(snapshot);
        Assert.Equal('S', snapshot.State);
        Assert.Equal(5555UL, snapshot.StartTime);
        Assert.Null(ProcessSnapshot.Parse("garbage"));
        Assert.Null(ProcessSnapshot.Parse("1 (x) S 1 2"));
    }

    [Fact]
    public void JudgeAliveWhenPidAndStartTimeMatch()
    {
        var owner = new ResourceOwner("o", 100, 5000, 7);
        Assert.Equal(OwnerState.Alive, ProcessSnapshot.Judge(owner, 7, new ProcessSnapshot('S', 5000), out _));
        Assert.Equal(OwnerState.Alive, ProcessSnapshot.Judge(owner, 7, new ProcessSnapshot('R', 5000), out _));
    }

    [Fact]
    public void JudgeDeadWhenThePidIsGone()
    {
        var owner = new ResourceOwner("o", 100, 5000, 7);
        Assert.Equal(OwnerState.Dead, ProcessSnapshot.Judge(owner, 7, null, out string reason));
        Assert.Contains("no /proc/100", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeDeadWhenThePidWasReusedByALaterProcess()
    {
        var owner = new ResourceOwner("o", 100, 5000, 7);
        Assert.Equal(OwnerState.Dead, ProcessSnapshot.Judge(owner, 7, new ProcessSnapshot('S', 9000), out string reason));
        Assert.Contains("tick 9000", reason, StringComparison.Ordinal);
        Assert.Contains("tick 5000", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeDeadForAZombie()
    {
        var owner = new ResourceOwner("o", 100, 5000, 7);
        Assert.Equal(OwnerState.Dead, ProcessSnapshot.Judge(owner, 7, new ProcessSnapshot('Z', 5000), out string reason));
        Assert.Contains("zombie", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JudgeUnknownAcrossPidNamespacesWhateverProcSays()
    {
        var owner = new ResourceOwner("o", 100, 5000, 7);
        Assert.Equal(OwnerState.Unknown, ProcessSnapshot.Judge(owner, 8, null, out string reason));
        Assert.Contains("pid namespace 7", reason, StringComparison.Ordinal);
        Assert.Equal(OwnerState.Unknown, ProcessSnapshot.Judge(owner, 8, new ProcessSnapshot('S', 1), out _));
    }

    [Fact]
    public void ARealProcessIsAliveThenDeadAndAStartTimeMismatchIsDeadToo()
    {
        using var sleep = Process.Start(new ProcessStartInfo("sleep", "100") { UseShellExecute = false })!;
        ResourceOwner me = ResourceOwner.Current("unit-test");
        ProcessSnapshot snapshot = ProcessSnapshot.Read(sleep.Id)!;
        var owner = new ResourceOwner("unit-test", sleep.Id, snapshot.StartTime, me.PidNamespace);
        var impostor = new ResourceOwner("unit-test", sleep.Id, snapshot.StartTime - 1, me.PidNamespace);
        try
        {
            Assert.Equal(OwnerState.Alive, owner.GetState(out _));
            Assert.Equal(OwnerState.Dead, impostor.GetState(out string reason));
            Assert.Contains("now belongs to a process started at tick", reason, StringComparison.Ordinal);
        }
        finally
        {
            sleep.Kill();
            sleep.WaitForExit();
        }

        Assert.Equal(OwnerState.Dead, owner.GetState(out _));
    }

    [Fact]
    public void TableCommentEncodesAsNftDoes()
    {
        // nft 'add table inet u { comment "ab"; }' sends NFTA_TABLE_USERDATA = 00 03 61 62 00 (strace -xx):
        // record type 0 (NFTNL_UDATA_TABLE_COMMENT), length 3, "ab", NUL.
        Assert.Equal(new byte[] { 0x00, 0x03, 0x61, 0x62, 0x00 }, NftTableComment.Encode("ab"));
        Assert.Equal("ab", NftTableComment.Decode([0x00, 0x03, 0x61, 0x62, 0x00]));
        string tag = new ResourceOwner("myorch", 1, 2, 3).Tag;
        Assert.Equal(tag, NftTableComment.Decode(NftTableComment.Encode(tag)));
        Assert.Equal(tag, new NftTable(NftFamily.Inet, "t") { UserData = NftTableComment.Encode(tag) }.Comment);
    }

    [Fact]
    public void TableCommentDecodingSkipsOtherRecordsAndRefusesMalformedData()
    {
        Assert.Equal("ab", NftTableComment.Decode([0x07, 0x01, 0xff, 0x00, 0x03, 0x61, 0x62, 0x00]));
        Assert.Null(NftTableComment.Decode(null));
        Assert.Null(NftTableComment.Decode([]));
        Assert.Null(NftTableComment.Decode([0x00, 0x05, 0x61]));
        Assert.Null(NftTableComment.Decode([0x00, 0x02, 0x61, 0x62]));
        Assert.Null(NftTableComment.Decode([0x01, 0x02, 0x61, 0x00]));
        Assert.Throws<ArgumentException>(() => NftTableComment.Encode(""));
        Assert.Throws<ArgumentException>(() => NftTableComment.Encode(new string('x', 128)));
        Assert.Throws<ArgumentException>(() => NftTableComment.Encode("a\0b"));
        Assert.Throws<ArgumentException>(() => new NftTransaction().CreateTable(new NftTable(NftFamily.Inet, "t") { UserData = new byte[257] }));
    }

    [Fact]
    public void LeftoverDescribesItselfInOneLine()
    {
        var owner = new ResourceOwner("myorch", 4242, 1, 2);
        var table = new Leftover(LeftoverKind.NftTable, "t", "c1", owner, OwnerState.Dead, "process 4242 has exited (no /proc/4242)") { TableFamily = NftFamily.Inet };
        Assert.Equal("table inet t in netns c1 of myorch (pid 4242): process 4242 has exited (no /proc/4242)", table.ToString());
        var cgroup = new Leftover(LeftoverKind.Cgroup, "/sys/fs/cgroup/a", null, owner, OwnerState.Dead, "gone");
        Assert.Equal("cgroup /sys/fs/cgroup/a of myorch (pid 4242): gone", cgroup.ToString());
    }
}

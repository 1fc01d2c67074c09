using LinuxIsolation.Cgroups;
using Xunit;

namespace LinuxIsolation.Tests.Cgroups;

/// <summary>
/// Inputs the fuzzing harness (tests/Fuzz) found making the cgroup file and mountinfo parsers throw
/// IndexOutOfRangeException and FormatException; the parsers now skip what they cannot read, as documented.
/// </summary>
public class CgroupParserFuzzRegressionTests
{
    [Theory]
    [InlineData(" ", new string[0])]
    [InlineData("some avg10=0.00 total=0\n   \nfull avg10=1.00 total=5\n", new[] { "some", "full" })]
    [InlineData("8:0 rbytes=1\n \n", new[] { "8:0" })]
    public void NestedKeyedFilesSkipBlankLines(string text, string[] keys)
    {
        Assert.Equal(keys, CgroupParser.ParseNestedKeyed(text).ConvertAll(l => l.Key));
    }

    [Fact]
    public void ADeviceIsReadPastABlankLine()
    {
        IoStatistics io = IoStatistics.Parse("8:0 rbytes=1\n \n");
        IoDeviceStatistics device = Assert.Single(io.Devices);
        Assert.Equal((8, 0, 1L), (device.Major, device.Minor, device.ReadBytes));
    }

    [Fact]
    public void BlankLinesDoNotHideTheOthers()
    {
        PressureStatistics p = PressureStatistics.Parse("some avg10=0.50 avg60=0.25 avg300=0.10 total=42\n  \nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n");
        Assert.Equal(42, p.Some.TotalMicroseconds);
        Assert.Equal(7, p.Full!.TotalMicroseconds);
    }

    [Theory]
    [InlineData(@"/sys/fs/cgroup/a\089", @"/sys/fs/cgroup/a\089")]     // 8 and 9 are not octal digits
    [InlineData(@"/sys/fs/cgroup/a\999b", @"/sys/fs/cgroup/a\999b")]
    [InlineData(@"/sys/fs/cgroup/a\400", @"/sys/fs/cgroup/a\400")]     // beyond a byte
    [InlineData(@"/sys/fs/cgroup/a\04", @"/sys/fs/cgroup/a\04")]       // cut short
    [InlineData(@"/sys/fs/cgroup/with\040space", "/sys/fs/cgroup/with space")]
    [InlineData(@"/sys/fs/cgroup/back\134slash\011tab", "/sys/fs/cgroup/back\\slash\ttab")]
    public void MountinfoEscapesAreUndoneOnlyWhenWellFormed(string field, string expected)
    {
        string mountinfo = $"40 30 0:37 / {field} rw,relatime shared:10 - cgroup2 cgroup2 rw\n";
        Assert.Equal(expected, CgroupHierarchy.Parse(mountinfo).MountPoint);
    }

    [Theory]
    [InlineData("12\n345\n", new[] { 12, 345 })]
    [InlineData("", new int[0])]
    [InlineData("12\nabc\n-3\n0\n99999999999\n 7 \n", new[] { 12, 7 })]
    public void ProcessIdListsSkipWhatIsNotAPid(string text, int[] expected)
    {
        Assert.Equal(expected, CgroupParser.ParseProcessIds(text));
    }

    [Theory]
    [InlineData("max 100000\n", "max")]
    [InlineData("50000 100000\n", "50000")]
    [InlineData("", "max")]
    [InlineData("   \n", "max")]
    [InlineData("garbage 100000", "max")]
    public void CpuMaxQuotaOfAnyFileIsANumberOrMax(string text, string expected)
    {
        Assert.Equal(expected, CgroupParser.ParseCpuMaxQuota(text));
    }
}

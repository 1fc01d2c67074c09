using System;

namespace LinuxIsolation.Cgroups;

/// <summary>
/// hugetlb.&lt;PageSize&gt;.max: the most bytes of huge pages of one size the cgroup may use. Hugetlb controller,
/// Linux 5.6 in v2.
/// </summary>
/// <param name="PageSize">The size as the kernel names it: "2MB", "1GB", "64KB".</param>
/// <param name="Max">The limit in bytes, or <see cref="CgroupResources.Unlimited"/>.</param>
public sealed record HugetlbLimit(string PageSize, long Max)
{
    internal string FileName => $"hugetlb.{PageSize}.max";

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(PageSize);
        int unit = PageSize.Length - 2;
        bool ok = unit > 0 && PageSize.AsSpan(0, unit).IndexOfAnyExceptInRange('0', '9') < 0
            && PageSize.AsSpan(unit) is "KB" or "MB" or "GB";
        if (!ok)
        {
            throw new ArgumentException($"hugetlb page size \"{PageSize}\" is not like \"2MB\" or \"1GB\"", nameof(PageSize));
        }

        CgroupResources.CheckLimit(Max, nameof(Max));
    }
}

using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Compare;

/// <summary>CPU time of this process and its reaped children, for the setup cases' CPU rows.</summary>
internal static partial class ProcessCpuClock
{
    /// <summary>User and system CPU time of this process (all threads) and of its reaped children, in nanoseconds.</summary>
    public static unsafe long Nanoseconds()
    {
        const int RUSAGE_SELF = 0;
        const int RUSAGE_CHILDREN = -1;
        long total = 0;
        long* usage = stackalloc long[18]; // struct rusage: ru_utime, ru_stime (struct timeval), 14 longs
        foreach (int who in (ReadOnlySpan<int>)[RUSAGE_SELF, RUSAGE_CHILDREN])
        {
            if (getrusage(who, usage) != 0)
            {
                throw new InvalidOperationException("getrusage failed");
            }

            total += (usage[0] + usage[2]) * 1_000_000_000 + (usage[1] + usage[3]) * 1_000;
        }

        return total;
    }

    [LibraryImport("libc")]
    private static unsafe partial int getrusage(int who, long* usage);
}

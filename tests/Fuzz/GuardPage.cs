using System;
using System.Runtime.InteropServices;

namespace LinuxIsolation.Fuzz;

/// <summary>
/// A read-write region followed by an inaccessible page. An input is copied so that it ends exactly where the
/// guard page starts: a decoder reading one byte past the end faults the process (SIGSEGV) instead of reading
/// whatever happens to follow, so out-of-bounds reads cannot go unnoticed.
/// </summary>
internal sealed unsafe partial class GuardPage : IDisposable
{
    private const int PageSize = 4096;
    private readonly byte* _pages;

    public GuardPage(int capacity)
    {
        Capacity = (capacity + PageSize - 1) / PageSize * PageSize;
        _pages = (byte*)mmap(null, (nuint)(Capacity + PageSize), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (_pages == (byte*)-1)
        {
            throw new InvalidOperationException($"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        }

        if (mprotect(_pages + Capacity, PageSize, PROT_NONE) != 0)
        {
            throw new InvalidOperationException($"mprotect failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The largest input that fits.</summary>
    public int Capacity { get; }

    /// <summary>Copies <paramref name="data"/> to end at the guard page and returns the span over the copy.</summary>
    public ReadOnlySpan<byte> Place(ReadOnlySpan<byte> data)
    {
        if (data.Length > Capacity)
        {
            data = data.Slice(0, Capacity);
        }

        byte* start = _pages + Capacity - data.Length;
        data.CopyTo(new Span<byte>(start, data.Length));
        return new ReadOnlySpan<byte>(start, data.Length);
    }

    public void Dispose() => munmap(_pages, (nuint)(Capacity + PageSize));

    private const int PROT_NONE = 0;
    private const int PROT_READ = 1;
    private const int PROT_WRITE = 2;
    private const int MAP_PRIVATE = 2;
    private const int MAP_ANONYMOUS = 0x20;

    [LibraryImport("libc", SetLastError = true)]
    private static partial void* mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mprotect(void* addr, nuint len, int prot);

    [LibraryImport("libc")]
    private static partial int munmap(void* addr, nuint length);
}
